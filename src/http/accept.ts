// The one Accept-header negotiation (RFC 9110 §12.5.1) of the gateway's HTTP layer: the GraphQL
// endpoint picks its response media type with it, the playground decides with it whether a GET
// is a browser navigating. Media ranges are ranked by quality, then specificity (`type/subtype`
// over `type/*` over `*/*`), then the order the client listed them in; the most specific range
// that covers a type decides that type's quality, so `*/*, application/json;q=0` refuses JSON.
// Malformed ranges (no subtype, a q that is not a number) are ignored instead of failing.

export interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
  /** The range's parameters as written, lower-cased (`q=0.9`, `deferspec=20220824`). */
  params: readonly string[];
}

export interface Rank {
  q: number;
  /** 2 `type/subtype`, 1 `type/*`, 0 `*\/*`. */
  specificity: number;
  /** Position of the deciding range in the header. */
  index: number;
}

export function parseAccept(header: string | string[] | undefined): MediaRange[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  return text.split(',').flatMap((part, index) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype, extra] = range.split('/');
    if (!type || !subtype || extra !== undefined) return [];
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(Math.max(q, 0), 1), index, params }] : [];
  });
}

/** The rank of `mediaType` (an essence such as `application/json`): the most specific range covering it, first listed on a tie. */
export function rankOf(ranges: readonly MediaRange[], mediaType: string): Rank | null {
  const [type, subtype] = mediaType.split('/');
  let best: Rank | null = null;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity < 0 || (best && specificity <= best.specificity)) continue;
    best = { q: range.q, specificity, index: range.index };
  }
  return best;
}

/** Whether `a` ranks strictly above `b`: quality, then specificity, then header order. */
export function ranksAbove(a: Rank, b: Rank): boolean {
  if (a.q !== b.q) return a.q > b.q;
  if (a.specificity !== b.specificity) return a.specificity > b.specificity;
  return a.index < b.index;
}

/**
 * The acceptable candidate the client ranks highest, or null if none is acceptable (q=0 or not
 * covered). On a full tie the earlier candidate wins, so list the server's preference first.
 */
export function negotiate(header: string | string[] | undefined, candidates: readonly string[]): string | null {
  const ranges = parseAccept(header);
  let best: { candidate: string; rank: Rank } | null = null;
  for (const candidate of candidates) {
    const rank = rankOf(ranges, candidate);
    if (!rank || rank.q <= 0) continue;
    if (!best || ranksAbove(rank, best.rank)) best = { candidate, rank };
  }
  return best?.candidate ?? null;
}

/**
 * Whether an Accept-Encoding header accepts `coding` (e.g. `gzip`) with q > 0: named, or covered
 * by `*` when not named. `gzip;q=0` refuses it.
 */
export function acceptsEncoding(header: string | string[] | undefined, coding: string): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let named: number | undefined;
  let wildcard: number | undefined;
  for (const part of text.split(',')) {
    const [token = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (token === coding) named = q;
    else if (token === '*') wildcard = q;
  }
  return (named ?? wildcard ?? 0) > 0;
}
