// The admission policy, written down once: every rule an operation must pass before it may cost a
// PharmaOne call, in the order a request meets them, with the transports each applies to and,
// where one does not, why. test/hardening/admission-matrix.test.ts sends a violating request for
// every (rule, transport) pair listed here as applying and asserts the same refusal on each, and
// test/hardening/admission-apollo-parts.test.ts fails when Apollo runs a plugin or validation rule
// that APOLLO_PARTS does not name.

export const TRANSPORTS = ['post', 'get', 'prepared', 'batch', 'ws', 'sse', 'entities', 'incremental'] as const;
/**
 * `post`/`get`: Apollo's pipeline on /graphql; `prepared`: a repeated POST the fast path
 * (./prepared-operations.ts) knows; `batch`: an operation inside a JSON array of operations (one
 * POST, admitted as a whole by ./batch-admission.ts, then each operation by Apollo); `ws`/`sse`: the feed's graphql-ws and graphql-sse
 * (src/http/subscriptions/); `entities`: `_entities` over POST in subgraph mode (src/federation/);
 * `incremental`: a POST whose Accept allows parts (`multipart/mixed; incrementalSpec=v0.2`) with a
 * document using @defer/@stream, run by @graphql-tools/executor (src/graphql/incremental.ts).
 */
export type Transport = (typeof TRANSPORTS)[number];

export interface AdmissionPolicyRule {
  name: string;
  /** What it refuses, and where the one definition of it lives. */
  what: string;
  /** Every transport: `true` where the rule applies, else why it does not. */
  transports: Record<Transport, true | string>;
}

const ALL: Record<Transport, true> = {
  post: true,
  get: true,
  prepared: true,
  batch: true,
  ws: true,
  sse: true,
  entities: true,
  incremental: true,
};
const NOT_ON_SOCKET = 'graphql-ws has its own subprotocol (graphql-transport-ws) and JSON text frames, negotiated by the upgrade';
const NO_AMBIENT_CREDENTIAL =
  'a WebSocket carries no credential a browser adds by itself: the key or token comes in connection_init or in a header a cross-site page cannot set, so a forged connection is an unauthenticated one (4401)';
const STANDING = 'a query or mutation ends with its answer; only a subscription holds a place in the feed';
const ENTITIES_ONLY =
  '`_entities` exists only in subgraph mode (FEDERATION_SUBGRAPH=true), which has no other root field taking representations';

export const ADMISSION_POLICY = [
  {
    name: 'accept',
    what: 'a response media type the client accepts, negotiated before anything runs (406): src/http/graphql-handler.ts',
    transports: {
      ...ALL,
      ws: NOT_ON_SOCKET,
      sse: 'graphql-sse answers in text/event-stream only and negotiates that itself (the GraphQL media types are not on offer)',
    },
  },
  {
    name: 'content-type',
    what: 'a POST body only as JSON in UTF-8 (415): jsonBodyRefusal, src/http/request-rules.ts',
    transports: { ...ALL, get: 'a GET has no body: its parameters are in the URL', ws: NOT_ON_SOCKET },
  },
  {
    name: 'csrf',
    what: "a request a browser sends cross-site unasked (no content type or a form's, no preflight header) is refused (400): csrfRefusal, src/http/request-rules.ts",
    transports: {
      ...ALL,
      post: 'a POST reaching it has a JSON body, which forces a preflight: content-type refuses every other',
      prepared: 'the fast path serves JSON POSTs only (see post)',
      batch: 'a batch is a JSON POST (see post)',
      entities: 'a router POSTs JSON (see post)',
      incremental: 'an incremental request is a JSON POST (see post)',
      ws: NO_AMBIENT_CREDENTIAL,
    },
  },
  {
    name: 'body-size',
    what: "a request body over its route's bound (declared or arriving) is 413 before parsing: src/http/request-body.ts, bounds per route (MAX_BODY_BYTES; the feed's MAX_MESSAGE_BYTES, a WebSocket frame closing 1009)",
    transports: { ...ALL, get: "a GET has no body; its URL is bounded by the server's header limit (431)" },
  },
  {
    name: 'token-limit',
    what: 'a document of more than GRAPHQL_MAX_TOKENS tokens stops parsing (GRAPHQL_PARSE_FAILED): admission.parseOptions',
    transports: ALL,
  },
  { name: 'depth-limit', what: 'GRAPHQL_MAX_DEPTH (graphql-armor), a validation rule: admission.validationRules', transports: ALL },
  { name: 'alias-limit', what: 'GRAPHQL_MAX_ALIASES (graphql-armor), a validation rule: admission.validationRules', transports: ALL },
  {
    name: 'directive-limit',
    what: 'GRAPHQL_MAX_DIRECTIVES (graphql-armor), a validation rule: admission.validationRules',
    transports: ALL,
  },
  {
    name: 'deferred-limit',
    what: 'more than GRAPHQL_MAX_DEFERRED @defer/@stream in a document, a validation rule: admission.validationRules (src/graphql/safety/query-limits.ts)',
    transports: ALL,
  },
  {
    name: 'introspection',
    what: '`__schema`/`__type` refused when GRAPHQL_INTROSPECTION is off (production): a validation rule, admission.validationRules',
    transports: ALL,
  },
  {
    name: 'field-suggestions',
    what: 'no "Did you mean …?" in any message when GRAPHQL_FIELD_SUGGESTIONS is off (production): formatClientMistakes',
    transports: ALL,
  },
  {
    name: 'operation-choice',
    what: 'several operations and no operationName, or a name naming none (400 BAD_REQUEST): admission.refusal',
    transports: ALL,
  },
  {
    name: 'document-size',
    what: 'a document over GRAPHQL_MAX_DOCUMENT_BYTES (413 BAD_REQUEST): admission.refusal',
    transports: ALL,
  },
  {
    name: 'safelist',
    what: "with PERSISTED_QUERIES_ENFORCE only the safelist's documents run (PERSISTED_QUERY_NOT_IN_LIST): admission.refusal",
    transports: ALL,
  },
  {
    name: 'variable-coercion',
    what: "variables that do not coerce to their declared types (BAD_USER_INPUT, graphql-js's words): admission.refusal",
    transports: ALL,
  },
  {
    name: 'representations',
    what: 'every `_entities` representation well formed (BAD_USER_INPUT): admission.refusal, src/graphql/safety/representations-rule.ts',
    transports: {
      post: ENTITIES_ONLY,
      get: ENTITIES_ONLY,
      prepared: "the fast path is off in subgraph mode (a subgraph's answers are shaped by Apollo's plugins)",
      batch: ENTITIES_ONLY,
      ws: ENTITIES_ONLY,
      sse: ENTITIES_ONLY,
      entities: true,
      incremental: ENTITIES_ONLY,
    },
  },
  {
    name: 'upstream-call-budget',
    what: 'an estimated PharmaOne fan-out over UPSTREAM_CALL_BUDGET (QUERY_TOO_EXPENSIVE; per event for a subscription): admission.refusal',
    transports: ALL,
  },
  {
    name: 'client-quota',
    what: "the client's and its org's quota of PharmaOne calls per window (QUOTA_*), reserved from the estimate (a subscribe: SUBSCRIBE_CALLS) and settled with the calls made (RATE_LIMITED, 429, Retry-After): admission.admit, src/graphql/quota/client-quota.ts",
    transports: ALL,
  },
  {
    name: 'subscription-limits',
    what: 'ORDER_FEED_MAX_PER_CALLER and ORDER_FEED_MAX_PER_CONNECTION: src/feed/order-feed.ts, on subscribe',
    transports: {
      post: STANDING,
      get: STANDING,
      prepared: STANDING,
      batch: STANDING,
      ws: true,
      sse: true,
      entities: STANDING,
      incremental: STANDING,
    },
  },
] as const satisfies readonly AdmissionPolicyRule[];

export type AdmissionRuleName = (typeof ADMISSION_POLICY)[number]['name'];

/**
 * Every plugin and extra validation rule Apollo runs (src/server/apollo-server.ts), by the name
 * it carries (gatewayPart for ours, Apollo's own plugin id for its built-ins): the admission rules
 * it enforces, or why it enforces none. A part missing here fails
 * test/hardening/admission-apollo-parts.test.ts.
 */
export const APOLLO_PARTS: Readonly<Record<string, { rules: readonly string[] } | { notAdmission: string }>> = {
  admission: {
    rules: [
      'operation-choice',
      'document-size',
      'safelist',
      'variable-coercion',
      'representations',
      'upstream-call-budget',
      'client-quota',
    ],
  },
  'depth-limit': { rules: ['depth-limit'] },
  'alias-limit': { rules: ['alias-limit'] },
  'directive-limit': { rules: ['directive-limit'] },
  'deferred-limit': { rules: ['deferred-limit'] },
  introspection: { rules: ['introspection'] },
  'document-cache-gate': {
    notAdmission:
      "decides at a request's end whether its caller was proven, so only proven callers fill the caches kept per query text; refuses nothing",
  },
  'operation-log': { notAdmission: 'notes the operation for the log line, span and metric; refuses nothing' },
  'cache-policy': { notAdmission: "computes the answer's cache-control; refuses nothing" },
  'upstream-trace': { notAdmission: 'GATEWAY_DEBUG_UPSTREAM: adds extensions.upstream to answers; refuses nothing' },
  'persisted-documents': {
    notAdmission: 'fills in a safelisted document sent by id alone; the safelist itself is enforced by `admission`',
  },
  'response-cache': { notAdmission: 'answers an admitted query from the cache; runs after admission' },
  'prepared-operations': { notAdmission: 'keeps each admitted query for the fast path, which runs the same admission' },
  'apollo:LandingPageDisabled:disabled': { notAdmission: "no landing page (GraphiQL is the gateway's own route)" },
  'apollo:InlineTrace:disabled': { notAdmission: 'no resolver timings (ftv1) for callers asking by header' },
  'apollo:InlineTrace': {
    notAdmission: "Apollo's default, active only for a subgraph schema, where apollo:InlineTrace:disabled replaces it",
  },
  'apollo:CacheControl:disabled': { notAdmission: 'replaced by cache-policy' },
  'apollo:CacheControl': { notAdmission: 'subgraph mode: `_entities` cache hints from the resolved types; refuses nothing' },
};

/** The property a gateway plugin or validation rule carries its APOLLO_PARTS name in. */
export const GATEWAY_PART = 'gatewayPart';

/** The plugin, named for APOLLO_PARTS. */
export function gatewayPart<T extends object>(name: string, part: T): T {
  return Object.assign(part, { [GATEWAY_PART]: name });
}
