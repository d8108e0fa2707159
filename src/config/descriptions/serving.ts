// What each setting of the gateway's edge, callers, query rules and execution means, in the words
// docs/configuration.md prints (src/config/descriptions.ts joins the sections).
import type { SectionDescriptions } from './sections.ts';

export const SERVING_SETTINGS: SectionDescriptions = {
  server: {
    PORT: 'gateway port; GraphQL at `/graphql`, probes at `/healthz` and `/readyz`, Prometheus at `/metrics` (unless `METRICS_PORT` is set); `0` picks a free port',
    HOST: 'interface the gateway listens on (an IP address or a host name)',
    METRICS_PORT:
      'a second, internal listener for `/metrics` (and `/healthz`, `/readyz`); when set, the public port has no `/metrics`. Must differ from `PORT`',
    METRICS_HOST: 'interface of that listener (only with `METRICS_PORT`)',
    NODE_ENV:
      '`production`: fail closed (no sandbox without `PHARMAONE_SANDBOX=true`), GraphiQL, introspection and field suggestions off by default',
    CORS_ORIGINS:
      'origins whose browser pages may call the gateway: exact origins, comma-separated, `scheme://host:*` for any port ([clients](clients.md#browser-apps-on-other-origins))',
    GRAPHIQL_ENABLED: 'the GraphiQL playground at `GET /graphql` for browsers ([playground](playground.md))',
    LOG_LEVEL: 'pino level (`silent` to turn logs off)',
    CONFIG_STRICT:
      'a variable set under one of the gateway\'s prefixes (`PHARMAONE_`, `UPSTREAM_`, `GRAPHQL_`, …; not `NODE_` or `OTEL_`) that it does not read (a typo, a retired name such as `UPSTREAM_ORG_QUEUE`, a setting of another mode) is a warning at start naming the closest known name (`PHARMAONE_BASEURL`: "did you mean PHARMAONE_BASE_URL?"), never its value; with `NODE_ENV=production` and `CONFIG_STRICT=true` it refuses the start instead',
    HTTP_HEADERS_TIMEOUT_MS: 'a client must send its request line and headers within this (else 408, connection closed)',
    HTTP_REQUEST_TIMEOUT_MS:
      'a client must send its whole request, body included, within this (else 408, connection closed); at least `HTTP_HEADERS_TIMEOUT_MS`',
    HTTP_KEEP_ALIVE_TIMEOUT_MS:
      "an idle kept-alive connection is closed after this (Node adds 1 s of grace); behind a load balancer, set it above the balancer's idle timeout",
    HTTP_MAX_CONNECTIONS: 'open connections per gateway process; further connections are closed on arrival',
    SHUTDOWN_DELAY_MS:
      "after SIGTERM, how long the listener stays open with readiness 503 (set it to your load balancer's deregistration time, e.g. 5000 on Kubernetes)",
    SHUTDOWN_GRACE_MS: 'then, how long requests in flight may take to finish before their connections are cut',
    METRICS_MAX_OPERATION_NAMES: 'distinct operation names with their own metric series; later names share `other`',
  },
  callers: {
    AUTH_MODE:
      "`pass-through` (callers send their PharmaOne integration key as `apikey`) or `bff` (callers send their identity provider's JWT; [security](security.md#callers-tenancy-and-query-safety))",
    BFF_JWKS_URL: "the identity provider's JWKS (or `BFF_JWT_PUBLIC_KEY` / `BFF_JWT_PUBLIC_KEY_FILE`); one of the three is required",
    BFF_JWT_PUBLIC_KEY: "the identity provider's PEM SPKI public key, inline, instead of `BFF_JWKS_URL`",
    BFF_JWT_PUBLIC_KEY_FILE: 'the same PEM key in a file (a mounted secret)',
    BFF_JWT_ISSUER: 'expected `iss` (required)',
    BFF_JWT_AUDIENCE: 'expected `aud` (required)',
    BFF_JWT_ALGORITHMS: 'accepted signature algorithms, comma-separated',
    BFF_JWT_CLOCK_SKEW_SECONDS: 'tolerance on `exp`/`nbf`',
    BFF_ORGS_CLAIM: 'claim listing the org ids the caller may reach (array or space-separated)',
    PHARMAONE_ORG_KEYS:
      'the operator\'s integration key per org, `{"org1": "<integration key>", …}` (this or `PHARMAONE_ORG_KEYS_FILE` is required)',
    PHARMAONE_ORG_KEYS_FILE: 'the same JSON in a file (a mounted secret)',
  },
  'query-safety': {
    GRAPHQL_MAX_DEPTH: 'selection depth',
    GRAPHQL_MAX_ALIASES: 'aliases per operation',
    GRAPHQL_MAX_DIRECTIVES: 'directives per operation',
    GRAPHQL_MAX_DEFERRED: '`@defer` and `@stream` directives per document ([incremental delivery](incremental-delivery.md))',
    GRAPHQL_INCREMENTAL_MAX_PARTS:
      'parts one incrementally delivered answer may have, the first included; the last part sent then carries a `QUERY_TOO_EXPENSIVE` error and the rest is not computed',
    GRAPHQL_MAX_TOKENS: 'lexical tokens (counted by the parser)',
    GRAPHQL_MAX_DOCUMENT_BYTES: 'document size (413)',
    UPSTREAM_CALL_BUDGET:
      'PharmaOne calls one operation may make (one batch, together); estimated before, counted while it runs ([security](security.md#callers-tenancy-and-query-safety))',
    GRAPHQL_BATCH_MAX: "operations one POST may carry as a JSON array (Apollo Client's `BatchHttpLink`); `0` turns batching off",
    UPSTREAM_BUDGET_SHOPS_PER_ORG: 'shops assumed per org by the estimate',
    GRAPHQL_INTROSPECTION: "schema introspection (the playground's docs and explorer need it)",
    GRAPHQL_FIELD_SUGGESTIONS: '"Did you mean …?" hints in error messages',
    PERSISTED_QUERIES_SAFELIST: 'path of an Apollo persisted-query manifest ([clients](clients.md#safelist))',
    PERSISTED_QUERIES_ENFORCE: "run only the safelist's operations (needs `PERSISTED_QUERIES_SAFELIST`)",
  },
  quotas: {
    QUOTA_CLIENT_CALLS:
      "PharmaOne calls each client may cause per window (a token bucket; a client is the caller's scope plus its client name, [fair use](../README.md#fair-use-per-client)); `0`: no client quota. Off by default: the right number is your PharmaOne contract's",
    QUOTA_ORG_CALLS: "PharmaOne calls all of one org's clients together may cause per window; `0`: no org quota",
    QUOTA_CLIENT_OVERRIDES:
      "per client name, `name=calls,name=calls` (at most 200): that client's quota instead of `QUOTA_CLIENT_CALLS`; `0` refuses every counted operation of that client",
    QUOTA_ORG_OVERRIDES:
      "per org id, `org=calls,…`: that org's quota instead of `QUOTA_ORG_CALLS` (BFF callers granted that one org; a pass-through key is its own org)",
    QUOTA_WINDOW_SECONDS: 'the window the quotas are per: a bucket refills its whole quota over this time, continuously',
    QUOTA_EXPECTED_REPLICAS:
      "replicas sharing the quotas through Redis: while Redis is unreachable each replica's own buckets hold the quota divided by this, so the fleet stays near it",
    QUOTA_CLIENT_LABELS: "client names with their own metric label (besides every override's name); later names are counted as `other`",
    QUOTA_REPLICA_BUCKETS:
      'buckets one replica keeps in memory (without Redis, and as the fallback); the idle longest go first and come back full',
  },
  execution: {
    GRAPHQL_JIT:
      "run hot operations on graphql-jit's compiled plans through Apollo's executor hook; introspection, abstract-type fields and @defer/@stream stay on graphql-js, and so does every document until it is hot. `false`: graphql-js only (answers are identical; `test/graph/jit-executor.test.ts` checks it)",
    GRAPHQL_JIT_HOT_AFTER:
      'a document is compiled on its n-th run within a minute, counting only runs by callers whose credential is proven ([memory per query text](performance.md#memory-per-query-text)); earlier runs and cold documents run on graphql-js',
    GRAPHQL_DOCUMENT_CACHE_MB:
      'heap for every cache kept per query text together, each entry counted at what it really costs (a parsed document holds 50–160 bytes per character of its text, a compiled plan kilobytes per field): parsed documents 5/16, prepared operations 3/16, compiled plans 5/16, run counts 1/16, and for callers not proven yet 1/16 for their documents and 1/16 for their prepared operations',
    GRAPHQL_PREPARED_OPERATIONS:
      "a query Apollo Server has accepted once (parsed, validated, every query rule passed) is kept (512 operations and the prepared share of `GRAPHQL_DOCUMENT_CACHE_MB`, least recently used text out; only from proven callers) and later POSTs of the same text run without Apollo's request pipeline: same context, budget rule, executor, error formatting, logs and bytes. A persisted query sent by hash alone does too, once Apollo has resolved its hash. Mutations, GET, persisted-query registrations and unknown hashes, cacheable queries while the response cache is on, and anything Apollo would refuse still go through Apollo. Off in subgraph mode and with `GATEWAY_DEBUG_UPSTREAM`. `false`: Apollo serves every request (answers are identical; `test/graph/prepared-operations.test.ts` checks it)",
    RESPONSE_CACHE_MB:
      "memory for cached query responses, keyed by authorization scope (identity + grants); `0` turns the cache off (in Redis mode too); with Redis one response is at most 1 MB and the instance's `maxmemory` bounds the rest",
    APQ_CACHE_MB:
      "memory for automatically persisted query texts (LRU; each counted with its key at two bytes per character); only proven callers' registrations are kept",
    APQ_TTL_SECONDS: 'lifetime of an unused APQ text in Redis (in memory, `APQ_CACHE_MB` evicts instead)',
    FEDERATION_SUBGRAPH:
      'serve the graph as a Federation 2 subgraph (`_service`, `_entities`) for a supergraph router ([federation](federation.md))',
  },
};
