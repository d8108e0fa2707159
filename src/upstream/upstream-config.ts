// Where PharmaOne is and how the gateway's connections to it behave, read once from the
// environment (src/config.ts assembles every section; docs/configuration.md lists the
// variables). The bounds on what PharmaOne's answers may make the gateway do are ./upstream-limits.ts.
import type { EnvReader } from '../config/env.ts';

export interface UpstreamConfig {
  /** Keep-alive connections per upstream origin (undici pool size). */
  connectionsPerOrigin: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** A cached JWT is replaced this long before its `exp`, so no request races the expiry. */
  tokenRefreshMarginMs: number;
  /** Most (base URL, org, credential) tokens kept in memory. */
  tokenCacheSize: number;
  /** Order-detail fetches one operation may run at once (there is no batch endpoint). */
  detailConcurrency: number;
}

/**
 * Where PharmaOne is. `sandbox`: `npm start` starts the embedded sandbox on `sandboxPort` and
 * uses it; never by default in production (fail closed: a missing PHARMAONE_BASE_URL must not go
 * live on demo data), only with PHARMAONE_SANDBOX=true.
 */
export type PharmaOneTarget =
  | {
      mode: 'pharmaone';
      /** Manager base URL, no trailing slash. */
      baseUrl: string;
      /** Shop proxy URL with `{shopId}`; unset disables §8 writes (no guessed default: a wrong host would send real orders elsewhere). */
      shopUrlTemplate: string | undefined;
    }
  | { mode: 'sandbox'; sandboxPort: number };

export function readUpstreamConfig(read: EnvReader): UpstreamConfig {
  return {
    connectionsPerOrigin: read.int('UPSTREAM_CONNECTIONS_PER_ORIGIN', { fallback: 64, min: 1, max: 1024 }),
    connectTimeoutMs: read.durationMs('UPSTREAM_CONNECT_TIMEOUT_MS', { fallback: 2_000, min: 1, max: 60_000 }),
    headersTimeoutMs: read.durationMs('UPSTREAM_HEADERS_TIMEOUT_MS', { fallback: 10_000, min: 1, max: 300_000 }),
    bodyTimeoutMs: read.durationMs('UPSTREAM_BODY_TIMEOUT_MS', { fallback: 10_000, min: 1, max: 300_000 }),
    tokenRefreshMarginMs: read.durationMs('TOKEN_REFRESH_MARGIN_SECONDS', { fallback: 60, min: 0, max: 3_600 }),
    tokenCacheSize: read.int('TOKEN_CACHE_SIZE', { fallback: 1_000, min: 1, max: 1_000_000 }),
    // A mobile page of 20 orders fetches its 20 details in one wave.
    detailConcurrency: read.int('UPSTREAM_DETAIL_CONCURRENCY', { fallback: 32, min: 1, max: 256 }),
  };
}

/** The upstream mode, decided here and nowhere else: real PharmaOne, or the embedded sandbox. */
export function readPharmaOneTarget(read: EnvReader): PharmaOneTarget {
  const baseUrl = read.url('PHARMAONE_BASE_URL');
  const baseUrlSet = read.text('PHARMAONE_BASE_URL') !== undefined;
  const shopUrlTemplate = shopUrlTemplateVar(read);
  // Outside production the sandbox is the zero-config default; in production it must be asked for.
  const sandbox = read.bool('PHARMAONE_SANDBOX', !baseUrlSet && !read.production);
  if (sandbox) {
    if (baseUrlSet) read.problem('PHARMAONE_SANDBOX=true and PHARMAONE_BASE_URL are both set: choose the sandbox or PharmaOne');
    if (shopUrlTemplate)
      read.problem('PHARMAONE_SHOP_URL_TEMPLATE is set without PHARMAONE_BASE_URL (the sandbox uses its own shop proxies)');
    return { mode: 'sandbox', sandboxPort: read.int('SANDBOX_PORT', { fallback: 4010, min: 0, max: 65_535 }) };
  }
  if (!baseUrlSet) {
    read.problem(
      read.production
        ? 'NODE_ENV=production needs PHARMAONE_BASE_URL (the Manager base URL); the embedded sandbox serves demo data and starts in production only with PHARMAONE_SANDBOX=true'
        : 'PHARMAONE_SANDBOX=false needs PHARMAONE_BASE_URL (the Manager base URL)',
    );
  }
  return { mode: 'pharmaone', baseUrl: (baseUrl ?? '').replace(/\/+$/, ''), shopUrlTemplate };
}

function shopUrlTemplateVar(read: EnvReader): string | undefined {
  const template = read.text('PHARMAONE_SHOP_URL_TEMPLATE');
  if (template === undefined) return undefined;
  let valid = template.includes('{shopId}');
  try {
    const url = new URL(template.replaceAll('{shopId}', 'shop1'));
    valid &&= url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    valid = false;
  }
  if (!valid)
    read.problem('PHARMAONE_SHOP_URL_TEMPLATE must be an http(s) URL containing {shopId}, e.g. https://{shopId}.pharmaone.example');
  return valid ? template.replace(/\/+$/, '') : undefined;
}
