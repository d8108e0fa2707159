// The origin and the path of an upstream URL without a `new URL()` per call: the HTTP client needs
// both for every attempt and the resilience layer the origin (its breaker's key). Each distinct
// scheme + authority is parsed once; a URL whose rest is not plain is parsed whole, as before.

/** Origins parsed so far, by the URL's scheme and authority as written. */
const originsByAuthority = new Map<string, string>();
/** Distinct authorities remembered (upstream origins: PharmaOne and the shop proxies). */
const MAX_AUTHORITIES = 256;

/** Where the authority of `url` ends (`scheme://` then up to `/`, `?`, `#` or `\`), or -1. */
function authorityEnd(url: string): number {
  const start = url.indexOf('://');
  if (start <= 0) return -1;
  let end = start + 3;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    // Where the URL parser ends an authority: what follows cannot change the origin.
    if (isAuthorityEnd(c)) break;
    end++;
  }
  return end;
}

/** The authority seen last and its origin: nearly every call goes to PharmaOne itself. */
let lastAuthority = '';
let lastOrigin = '';

function isAuthorityEnd(c: number): boolean {
  // NaN: the URL ends there.
  return c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c || Number.isNaN(c);
}

function isLastAuthority(url: string): boolean {
  return lastAuthority !== '' && url.startsWith(lastAuthority) && isAuthorityEnd(url.charCodeAt(lastAuthority.length));
}

/** `new URL(url).origin`, parsing each distinct scheme + authority once. */
export function originOf(url: string): string {
  if (isLastAuthority(url)) return lastOrigin;
  const end = authorityEnd(url);
  if (end < 0) return new URL(url).origin;
  const authority = url.slice(0, end);
  let origin = originsByAuthority.get(authority);
  if (origin === undefined) {
    origin = new URL(url).origin;
    // Only a plain scheme is remembered, so a remembered authority always ended where it was cut.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(authority)) return origin;
    if (originsByAuthority.size >= MAX_AUTHORITIES) originsByAuthority.clear();
    originsByAuthority.set(authority, origin);
  }
  lastAuthority = authority;
  lastOrigin = origin;
  return origin;
}

/**
 * A path and query the URL parser keeps exactly as written: `/`-separated segments of letters,
 * digits, `_` and `-` (no dot segments, nothing it would encode) and a URLSearchParams query (only
 * characters its serializer leaves or %-escapes). Every route URL the client builds is of this form.
 */
const PLAIN_REST = /^\/[A-Za-z0-9_/-]*(?:\?[A-Za-z0-9*._%+=&-]*)?$/;

/**
 * The origin and the path + query of an http(s) URL, as `new URL(url)` gives them
 * (`origin`, `pathname + search`), or null when the URL is not http(s).
 */
export function splitUrl(url: string): { origin: string; path: string } | null {
  const end = isLastAuthority(url) ? lastAuthority.length : authorityEnd(url);
  if (end > 0) {
    const path = url.slice(end);
    if (PLAIN_REST.test(path)) {
      const origin = originOf(url);
      if (origin.startsWith('http://') || origin.startsWith('https://')) return { origin, path };
    }
  }
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return { origin: parsed.origin, path: parsed.pathname + parsed.search };
}
