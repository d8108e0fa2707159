// Every non-admin request, in arrival order, so tests can assert exactly which upstream calls a
// GraphQL query made. An entry is appended when the request arrives and completed when it is
// answered; `status` stays null while the request is in flight.

export type AuthKind = 'jwt' | 'apikey' | 'none';

/** The HTTP status answered, or what happened instead of an answer. */
export type CallOutcome = number | 'reset' | 'hang' | 'aborted';

export interface CallLogEntry {
  /** 1, 2, 3 … in arrival order, counted from the last clear() or reset(). */
  seq: number;
  /** Arrival time, ISO 8601. */
  at: string;
  method: string;
  /** Path without the query string, e.g. "/api/v2/public/orgs/org1/orders/ORD_…". */
  path: string;
  /** Method and path template, e.g. "GET /api/v2/public/orgs/{org}/orders/{id}"; null when no route matched. */
  route: string | null;
  /** Query parameters; a repeated parameter becomes an array. */
  query: Record<string, string | string[]>;
  authKind: AuthKind;
  /** org_id claim of the presented JWT (unverified), if any. */
  tokenOrg: string | null;
  /** Label of the presented demo API key ("org1-key", "org1-readonly", "org2-key", "unknown"), never the key. */
  apikeyLabel: string | null;
  /** The org addressed: the path's {org}, or the owning org of a shop-proxy call's shop. */
  org: string | null;
  /** Parsed JSON body, or null when there was none (or it was not JSON). */
  body: unknown;
  idempotencyKey: string | null;
  /** The latency a fault rule added before answering, in ms (absent when none did). */
  delayMs?: number;
  /** The W3C `traceparent` header, when the request carried one (tracing tests). */
  traceparent?: string;
  status: CallOutcome | null;
}

export interface CallFilter {
  /** Exact template match, e.g. "GET /api/v2/public/orgs/{org}/orders". */
  route?: string;
  method?: string;
  /** Path prefix, e.g. "/api/v2/public/orgs/org1/orders". */
  pathPrefix?: string;
  org?: string;
  authKind?: AuthKind;
  /** Only entries with seq greater than this. */
  afterSeq?: number;
}

export interface CallLog {
  list(filter?: CallFilter): CallLogEntry[];
  clear(): void;
}

export interface CallRecorder extends CallLog {
  begin(entry: Omit<CallLogEntry, 'seq' | 'status'>): CallLogEntry;
}

export function createCallLog(): CallRecorder {
  let entries: CallLogEntry[] = [];
  let seq = 0;

  return {
    begin(fields) {
      seq += 1;
      const entry: CallLogEntry = { seq, ...fields, status: null };
      entries.push(entry);
      return entry;
    },
    list(filter = {}) {
      return entries
        .filter(
          (entry) =>
            (filter.route === undefined || entry.route === filter.route) &&
            (filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
            (filter.pathPrefix === undefined || entry.path.startsWith(filter.pathPrefix)) &&
            (filter.org === undefined || entry.org === filter.org) &&
            (filter.authKind === undefined || entry.authKind === filter.authKind) &&
            (filter.afterSeq === undefined || entry.seq > filter.afterSeq),
        )
        .map((entry) => structuredClone(entry));
    },
    clear() {
      entries = [];
      seq = 0;
    },
  };
}

export function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of params) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else query[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}
