// What each setting of PharmaOne, resilience, stores, the live feed, tracing and the sandbox means,
// in the words docs/configuration.md prints (src/config/descriptions.ts joins the sections).
import type { SectionDescriptions } from './sections.ts';

export const UPSTREAM_SETTINGS: SectionDescriptions = {
  pharmaone: {
    PHARMAONE_BASE_URL: 'Manager base URL, e.g. `https://manager.pharmaone.dev.secpaid.com`. Required when `NODE_ENV=production`',
    PHARMAONE_SHOP_URL_TEMPLATE:
      'shop proxy URL, `{shopId}` substituted, e.g. `https://{shopId}.pharmaone.dev.secpaid.com`; unset with a base URL: `submitExternalOrder` answers a userError. Only with `PHARMAONE_BASE_URL`',
    PHARMAONE_SANDBOX:
      'start the embedded sandbox (demo data, demo keys) as the upstream. In production only when set to `true` explicitly; never together with `PHARMAONE_BASE_URL`',
    GATEWAY_DEBUG_UPSTREAM: 'add `extensions.upstream` (every REST call: method, path, status, ms, cached) to responses',
    UPSTREAM_CONNECTIONS_PER_ORIGIN: 'keep-alive connections per upstream origin',
    UPSTREAM_CONNECT_TIMEOUT_MS: 'TCP/TLS connect timeout',
    UPSTREAM_HEADERS_TIMEOUT_MS: "time to the upstream's response headers",
    UPSTREAM_BODY_TIMEOUT_MS: "idle time while reading the upstream's body",
    UPSTREAM_DETAIL_CONCURRENCY: 'order-detail calls one operation runs at once (no batch endpoint)',
    TOKEN_REFRESH_MARGIN_SECONDS: 'replace a cached JWT this long before its `exp` (at most a quarter of its lifetime)',
    TOKEN_CACHE_SIZE: 'most (base URL, org, credential) JWTs kept',
    TOKEN_CACHE_MAX_BYTES: "bound on the JWT cache's size (keys and tokens)",
    TOKEN_NEGATIVE_CACHE_MS:
      'how long a credential PharmaOne refused for an org (401 or 403 to its token exchange; never a 5xx, 429 or timeout) is refused again without an exchange; with `REDIS_URL` by every replica. A key that becomes valid works again after it. `0` turns it off',
    TOKEN_NEGATIVE_CACHE_MAX_BYTES:
      "bound on each replica's memory of refusals (LRU; in Redis each entry is a fixed ~60 bytes with that time to live)",
    UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY:
      'refused token exchanges per minute one integration key PharmaOne has not accepted before may cost, however many orgs it names; fleet-wide with `REDIS_URL`. An accepted exchange, a timeout or a 5xx costs nothing; past it: `RATE_LIMITED`, reason `unproven_key_exchanges`, no exchange. Pass-through mode only',
    UPSTREAM_UNPROVEN_EXCHANGES_TOTAL:
      'refused token exchanges per minute all keys PharmaOne has not accepted before may cost together (a flood of made-up keys); keys accepted once are never held back by it',
    UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION:
      'token exchanges one operation may start (more orgs in one operation: `QUERY_TOO_EXPENSIVE`, reason `token_exchanges`)',
    UPSTREAM_MAX_BODY_BYTES: 'largest PharmaOne answer read; past it reading stops and the call is `UPSTREAM_UNAVAILABLE` `too_large`',
    UPSTREAM_MAX_PAGES_PER_READ:
      'pages (of 100 rows) one "read all pages" lookup may fetch: a shop\'s catalog or stock for `product`/`stock` lookups, so at most 2,000 rows per lookup by default, every page counted by the call budget',
    UPSTREAM_RATE_LIMIT_MAX_SECONDS: 'the longest `Retry-After` honoured for a rate-limited org (a longer one is cut to it)',
  },
  resilience: {
    OPERATION_DEADLINE_MS:
      'overall deadline of one GraphQL operation: every upstream call and retry wait shares it. Upstream work stops 20% (at most 500 ms) before it, so the answer with partial data still leaves in time',
    UPSTREAM_RETRY_MAX_ATTEMPTS: 'attempts per read, the first included; `1` turns retries off',
    UPSTREAM_RETRY_BASE_DELAY_MS: 'backoff before retry *n*: uniform in [0, min(max, base · 2ⁿ⁻¹)) ("full jitter")',
    UPSTREAM_RETRY_MAX_DELAY_MS: 'cap of that backoff',
    UPSTREAM_RETRY_BUDGET_PERCENT: 'per origin, retries may add at most this share of the calls made in the window…',
    UPSTREAM_RETRY_BUDGET_MIN_RETRIES: '…plus this many per window, so a quiet gateway can still retry a lone failure',
    UPSTREAM_RETRY_BUDGET_WINDOW_MS: "the budget's sliding window",
    UPSTREAM_BREAKER_MIN_CALLS: 'calls in the window before the breaker may open',
    UPSTREAM_BREAKER_ERROR_PERCENT:
      'failed share of those calls that opens it, when the failures come from at least two orgs (or only one org called in the window)',
    UPSTREAM_BREAKER_WINDOW_MS: "the breaker's sliding window",
    UPSTREAM_BREAKER_OPEN_MS: 'how long it stays open before letting a probe through',
    UPSTREAM_BREAKER_HALF_OPEN_PROBES: 'calls let through while half-open',
    UPSTREAM_ORG_CONCURRENCY: 'PharmaOne calls one org may have in flight (keep it below `UPSTREAM_CONNECTIONS_PER_ORIGIN`)',
    UPSTREAM_ORG_MAX_WAIT_MS:
      "a call that finds its org's slots taken waits only if its predicted wait (calls ahead × the org's recent call duration ÷ `UPSTREAM_ORG_CONCURRENCY`) fits this and what is left of the operation's deadline; otherwise it is refused at once (`overloaded`), never sent. Replaces `UPSTREAM_ORG_QUEUE`: a long queue of fast calls is healthy load, a short one of slow calls is not",
  },
  stores: {
    REDIS_URL:
      'unset: in-memory stores, one replica. Set (`redis://…` or `rediss://…`): idempotency, APQ, the response cache, refused token exchanges and the live feed are shared by every replica ([operations](operations.md#running-several-replicas))',
    REDIS_IDEMPOTENCY_URL:
      'idempotency records on their own Redis (a `noeviction` instance) while caches use `REDIS_URL` (an `allkeys-lru` one)',
    REDIS_COMMAND_TIMEOUT_MS:
      'longest a Redis command may take before the store counts as unreachable (reads then bypass caches, keyed writes refuse)',
    IDEMPOTENCY_TTL_SECONDS: "how long a mutation's outcome is replayed for its `idempotencyKey`",
    IDEMPOTENCY_MAX_KEYS: 'most idempotency keys kept in memory',
    IDEMPOTENCY_CACHE_MB: 'memory for idempotency records (in-memory mode; each keeps ids only); least recently used go first',
    IDEMPOTENCY_LEASE_MS:
      "how long a write's claim on its key (IN_FLIGHT) lives unless renewed; its owner renews it every third while the write runs, so this is how soon a dead replica's key can be taken over",
    IDEMPOTENCY_WAIT_MS:
      "how long a request waits for another replica's write under the same key before answering `IDEMPOTENCY_KEY_IN_USE` (retryable)",
  },
  'live-updates': {
    ORDER_FEED_POLL_MS: 'one read of the newest orders per scope per interval',
    ORDER_FEED_MAX_BACKOFF_MS: 'longest wait after repeated poll failures (at least `ORDER_FEED_POLL_MS`)',
    ORDER_FEED_SUBSCRIBER_BUFFER: 'events waiting for one subscriber before it is cut as a slow consumer',
    ORDER_FEED_MAX_PER_CONNECTION: 'subscriptions one WebSocket may hold',
    ORDER_FEED_MAX_PER_CALLER: 'subscriptions one caller (credential or signed-in user) may hold on one replica',
    ORDER_FEED_MAX_SCOPES:
      'scopes (org and credential) one replica watches at once: a subscribe that needs one more is refused (`TOO_MANY_SUBSCRIPTIONS`), joining a watched one is not',
    ORDER_FEED_MAX_ENDED_SCOPES:
      'scopes nobody watches any more whose resume window one replica keeps for `after` (least recently ended dropped first; without `REDIS_URL`)',
    ORDER_FEED_RESUME_EVENTS: 'events kept per scope for `after`',
    ORDER_FEED_RESUME_WINDOW_MS: "how long a scope's snapshot and events outlive its last write",
    ORDER_FEED_HEARTBEAT_MS: 'WebSocket ping interval (a peer that does not answer within it is cut)',
  },
  tracing: {
    OTEL_ENABLED: 'OpenTelemetry tracing on (also on when `OTEL_TRACES_EXPORTER` names an exporter)',
    OTEL_SDK_DISABLED: '`true` turns tracing off whatever else is set',
    OTEL_TRACES_EXPORTER:
      '`otlp` (OTLP/HTTP; `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` and `OTEL_EXPORTER_OTLP_HEADERS` as usual, read by the SDK itself), `console` or `none`',
    OTEL_SERVICE_NAME: 'the `service.name` resource attribute',
  },
  sandbox: {
    SANDBOX_PORT: 'sandbox port (`npm run sandbox`, and `npm start` in sandbox mode); `0` picks a free port',
    SANDBOX_HOST: 'interface the sandbox listens on (`npm run sandbox`)',
    SANDBOX_PUBLIC_URL: 'base URL clients use, if not the listening address (Docker)',
    SANDBOX_FAULTS:
      'JSON fault rules (a list, or one rule; `src/sandbox/fault-rules.ts`): match by `route`, `method`, `pathPrefix`, `pathPattern`, `org`; add latency, failures or a crafted answer ([security](security.md#upstream-boundary))',
    SANDBOX_FAULT_SEED: 'seed of the fault draws, so a run with faults repeats',
    SANDBOX_LATENCY_MS: 'latency added to every call (a catch-all rule after `SANDBOX_FAULTS`)',
    SANDBOX_JITTER_MS: 'random extra latency up to this, with `SANDBOX_LATENCY_MS`',
    SANDBOX_TOKEN_LIFETIME_SECONDS: "lifetime of the JWTs the sandbox's token exchange hands out",
  },
};
