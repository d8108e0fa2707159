// One violating request per (admission rule, transport) pair, for test/hardening/admission-matrix.test.ts,
// and the one refusal every transport must answer it with. The documents differ by transport (a
// subscription for graphql-ws and graphql-sse, `_entities` in subgraph mode) but are built so that
// the refusal's words are the same: the same depth found, the same estimate, the same byte count.
import type { AdmissionRuleName } from '../../src/graphql/admission-policy.ts';
import { MAX_MESSAGE_BYTES } from '../../src/http/subscriptions/subscription-operation.ts';
import { MAX_BODY_BYTES } from '../../src/http/graphql-handler.ts';
import { csrfRefusal } from '../../src/http/request-rules.ts';
import {
  BUDGET_QUERY,
  FOUR_TIMES,
  MANY_TOKENS,
  ONE_ORDER_ENTITY,
  PLAIN,
  PLAIN_ENTITIES,
  PLAIN_SUBSCRIPTION,
  THREE_DEFERRED,
  everywhere,
  padTo,
  q,
  statusOnHttp,
  withDefer,
} from './admission-documents.ts';
import type { Expected, RuleCases, Violation } from './admission-documents.ts';

export type { Expected, RuleCases, Violation };

/** The limits of the matrix's gateways: small, so that a violation is small too. */
export const MATRIX_ENV = {
  GRAPHQL_MAX_DEPTH: '5',
  GRAPHQL_MAX_ALIASES: '3',
  GRAPHQL_MAX_DIRECTIVES: '3',
  GRAPHQL_MAX_DEFERRED: '2',
  GRAPHQL_MAX_TOKENS: '300',
  GRAPHQL_MAX_DOCUMENT_BYTES: '2000',
  GRAPHQL_INTROSPECTION: 'false',
  GRAPHQL_FIELD_SUGGESTIONS: 'false',
  UPSTREAM_CALL_BUDGET: '6',
  ORDER_FEED_MAX_PER_CALLER: '1',
  // One client shut out (a quota of 0): the client-quota rule refuses it alone; every other client is uncounted.
  QUOTA_CLIENT_OVERRIDES: 'matrix-over-quota=0',
};

/** The client name MATRIX_ENV gives no quota at all. */
const OVER_QUOTA = { headers: { 'graphql-client-name': 'matrix-over-quota' } };

/** The one document the safelisted gateways run. */
export const LISTED = 'query Listed { __typename }';

export const ADMISSION_CASES: Record<AdmissionRuleName, RuleCases> = {
  accept: {
    stack: 'strict',
    expected: { status: 406, code: 'BAD_REQUEST', message: 'Accept must allow application/graphql-response+json or application/json.' },
    cases: {
      post: () => ({ ...q(PLAIN), tweak: { headers: { accept: 'image/png' } } }),
      get: () => ({ ...q(PLAIN), tweak: { headers: { accept: 'image/png' } } }),
      prepared: () => ({ ...q(PLAIN), teach: { query: PLAIN }, tweak: { headers: { accept: 'image/png' } } }),
      batch: () => ({ ...q(PLAIN), tweak: { headers: { accept: 'image/png' } } }),
      entities: () => ({ ...q(PLAIN_ENTITIES), tweak: { headers: { accept: 'image/png' } } }),
      // Parts only: refusals and answers that defer nothing are JSON, which this client does not read.
      incremental: () => ({ ...withDefer(q(PLAIN)), tweak: { headers: { accept: 'multipart/mixed; incrementalSpec=v0.2' } } }),
    },
  },
  'content-type': {
    stack: 'strict',
    expected: { status: 415, code: 'BAD_REQUEST', message: 'Send the POST body as JSON: content-type application/json (UTF-8).' },
    cases: {
      post: () => ({ ...q(PLAIN), tweak: { headers: { 'content-type': 'text/plain' } } }),
      prepared: () => ({ ...q(PLAIN), teach: { query: PLAIN }, tweak: { headers: { 'content-type': 'text/plain' } } }),
      batch: () => ({ ...q(PLAIN), tweak: { headers: { 'content-type': 'text/plain' } } }),
      sse: () => ({ ...q(PLAIN_SUBSCRIPTION), tweak: { headers: { 'content-type': 'text/plain' } } }),
      entities: () => ({ ...q(PLAIN_ENTITIES), tweak: { headers: { 'content-type': 'text/plain' } } }),
      incremental: () => ({ ...withDefer(q(PLAIN)), tweak: { headers: { 'content-type': 'text/plain' } } }),
    },
  },
  csrf: {
    stack: 'strict',
    expected: { status: 400, code: 'BAD_REQUEST', message: csrfRefusal({})?.message ?? 'csrfRefusal refuses nothing' },
    cases: {
      get: () => ({ ...q(PLAIN), tweak: { noCredential: true } }),
      sse: () => ({ ...q(PLAIN_SUBSCRIPTION), tweak: { noCredential: true, method: 'GET' } }),
    },
  },
  'body-size': {
    stack: 'strict',
    // Each route has its own bound (a subscription document is small); the refusal reads alike.
    expected: (transport) =>
      transport === 'ws'
        ? { closeCode: 1009 }
        : {
            status: 413,
            code: 'BAD_REQUEST',
            message: `Request body exceeds ${transport === 'sse' ? MAX_MESSAGE_BYTES : MAX_BODY_BYTES} bytes.`,
          },
    cases: {
      post: () => q(PLAIN, { variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } }),
      prepared: () => ({ ...q(PLAIN, { variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } }), teach: { query: PLAIN } }),
      batch: () => q(PLAIN, { variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } }),
      sse: () => q(PLAIN_SUBSCRIPTION, { variables: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }),
      ws: () => q(PLAIN_SUBSCRIPTION, { variables: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }),
      entities: () => q(PLAIN_ENTITIES, { variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } }),
      incremental: () => withDefer(q(PLAIN, { variables: { pad: 'x'.repeat(MAX_BODY_BYTES) } })),
    },
  },
  'token-limit': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_PARSE_FAILED',
      message: 'Syntax Error: Document contains more that 300 tokens. Parsing aborted.',
    }),
    cases: everywhere(
      q(`{ __typename(x: ${MANY_TOKENS}) }`),
      q(`subscription { orderEvents(orgId: ${MANY_TOKENS}) { type } }`),
      q(`{ _entities(representations: ${MANY_TOKENS}) { __typename } }`),
    ),
  },
  'depth-limit': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Syntax Error: Query depth limit of 5 exceeded, found 6.',
    }),
    cases: everywhere(
      q('{ org(id: "org1") { orders(first: 1) { nodes { items { product { name } } } } } }'),
      q('subscription { orderEvents(orgId: "org1") { order { items { product { shop { name } } } } } }'),
      q('{ _entities(representations: []) { ... on Order { items { product { shop { name } } } } } }'),
    ),
  },
  'alias-limit': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Syntax Error: Aliases limit of 3 exceeded, found 4.',
    }),
    cases: everywhere(
      // graphql-armor lets `__typename` be aliased freely (the token limit bounds it): other fields here.
      q('{ org(id: "org1") { a: id b: id c: id d: id } }'),
      q('subscription { orderEvents(orgId: "org1") { a: type b: type c: type d: type } }'),
      q('{ _entities(representations: []) { ... on Order { a: id b: id c: id d: id } } }'),
    ),
  },
  'directive-limit': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Syntax Error: Directives limit of 3 exceeded, found 4.',
    }),
    cases: everywhere(
      q(`{ ${FOUR_TIMES('__typename @skip(if: false)')} }`),
      q(`subscription { orderEvents(orgId: "org1") { ${FOUR_TIMES('type @skip(if: false)')} } }`),
      q(`{ _entities(representations: []) { ${FOUR_TIMES('__typename @skip(if: false)')} } }`),
      undefined,
      // Three @skip and the @defer: four directives.
      withDefer(q(`{ ${'__typename @skip(if: false) '.repeat(3)}}`)),
    ),
  },
  'deferred-limit': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'The document holds more than 2 @defer/@stream directives (GRAPHQL_MAX_DEFERRED).',
    }),
    // Three: within the directive limit (3), over this one (2).
    cases: everywhere(
      q(`{ ${THREE_DEFERRED('__typename')} }`),
      q(`subscription { orderEvents(orgId: "org1") { ${THREE_DEFERRED('type')} } }`),
      q(`{ _entities(representations: []) { ${THREE_DEFERRED('__typename')} } }`),
      undefined,
      q(`{ ${THREE_DEFERRED('__typename')} }`),
    ),
  },
  introspection: {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Introspection is turned off on this gateway (GRAPHQL_INTROSPECTION).',
    }),
    cases: everywhere(
      q('{ __schema { queryType { name } } }'),
      // The subscription runs; the document it came in still holds an introspection query.
      q(`query Schema { __schema { queryType { name } } } subscription Feed { orderEvents(orgId: "org1") { type } }`, {
        operationName: 'Feed',
      }),
      q('{ _entities(representations: []) { __typename } __type(name: "Order") { name } }'),
    ),
  },
  'field-suggestions': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: 'Cannot query field "statu" on type "Order".',
    }),
    cases: everywhere(
      q('{ org(id: "org1") { orders(first: 1) { nodes { statu } } } }'),
      q('subscription { orderEvents(orgId: "org1") { order { statu } } }'),
      q('{ _entities(representations: []) { ... on Order { statu } } }'),
    ),
  },
  'operation-choice': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'BAD_REQUEST',
      message: 'The document holds 2 operations: name the one to run in operationName.',
    }),
    cases: everywhere(
      q('query A { __typename } query B { __typename }'),
      q(`subscription A { orderEvents(orgId: "org1") { type } } subscription B { orderEvents(orgId: "org1") { cursor } }`),
      q(`query A ${PLAIN_ENTITIES} query B ${PLAIN_ENTITIES}`),
    ),
  },
  'document-size': {
    stack: 'strict',
    expected: (t) => ({ ...statusOnHttp(t, 413), code: 'BAD_REQUEST', message: 'The GraphQL document is 2001 bytes; the limit is 2000.' }),
    cases: everywhere(
      q(padTo(PLAIN, 2001)),
      q(padTo(PLAIN_SUBSCRIPTION, 2001)),
      q(padTo(PLAIN_ENTITIES, 2001)),
      undefined,
      withDefer(q(padTo('{ __typename }', 2001 - Buffer.byteLength(' ... @defer { __typename }')))),
    ),
  },
  safelist: {
    stack: 'safelisted',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'PERSISTED_QUERY_NOT_IN_LIST',
      message: 'This gateway only runs the operations in its persisted-query safelist; this one is not in it.',
    }),
    cases: everywhere(q(PLAIN), q(PLAIN_SUBSCRIPTION), q(PLAIN_ENTITIES)),
  },
  'variable-coercion': {
    stack: 'strict',
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'BAD_USER_INPUT',
      message: 'Variable "$orgId" of required type "ID!" was not provided.',
    }),
    cases: everywhere(
      q('query V($orgId: ID!) { org(id: $orgId) { id } }', { variables: {} }),
      q('subscription V($orgId: ID!) { orderEvents(orgId: $orgId) { type } }', { variables: {} }),
      q(`query V($orgId: ID!) { _entities(representations: [{ __typename: "Org", id: $orgId }]) { __typename } }`, { variables: {} }),
      {
        ...q('query V($orgId: ID!) { org(id: $orgId) { id } }', { variables: {} }),
        teach: { query: 'query V($orgId: ID!) { org(id: $orgId) { id } }', variables: { orgId: 'org1' } },
      },
    ),
  },
  representations: {
    stack: 'strict',
    expected: {
      status: 400,
      code: 'BAD_USER_INPUT',
      message: 'representations[0]: __typename must name an entity this subgraph resolves by reference: Order, Org, Product, Shop.',
    },
    cases: { entities: () => q('{ _entities(representations: [{ __typename: "Nope", id: "x" }]) { __typename } }') },
  },
  'upstream-call-budget': {
    stack: 'strict',
    // The same estimate on every transport: 5 orders' details, one event's order, 6 order references.
    expected: (t) => ({
      ...statusOnHttp(t, 400),
      code: 'QUERY_TOO_EXPENSIVE',
      message:
        'This operation could make up to 7 PharmaOne calls; the limit is 6. Ask for smaller pages (first), fewer nested lists, or fewer detail fields per order.',
    }),
    cases: everywhere(
      q(BUDGET_QUERY, { variables: { n: 5 } }),
      q('subscription { orderEvents(orgId: "org1") { order { items { product { name } } } } }'),
      q(`{ _entities(representations: [${Array(6).fill(ONE_ORDER_ENTITY).join(', ')}]) { ... on Order { items { name } } } }`),
      { ...q(BUDGET_QUERY, { variables: { n: 5 } }), teach: { query: BUDGET_QUERY, variables: { n: 1 } } },
    ),
  },
  'client-quota': {
    stack: 'strict',
    // Refused before any call whatever it would cost; told when the (empty) bucket could next hold it.
    expected: (t) => ({
      ...statusOnHttp(t, 429),
      code: 'RATE_LIMITED',
      message: 'This client (or its org) has used its quota of PharmaOne calls for now; try again in 60 seconds.',
    }),
    cases: everywhere(
      { ...q('{ org(id: "org1") { shops { id } } }'), tweak: OVER_QUOTA },
      { ...q('subscription { orderEvents(orgId: "org1") { type } }'), tweak: OVER_QUOTA },
      { ...q(`{ _entities(representations: [${ONE_ORDER_ENTITY}]) { ... on Order { items { name } } } }`), tweak: OVER_QUOTA },
      // Taught by a client without a quota: the fast path knows the document, and refuses this client's request itself.
      { ...q('{ org(id: "org1") { shops { id } } }'), teach: { query: '{ org(id: "org1") { shops { id } } }' }, tweak: OVER_QUOTA },
    ),
  },
  'subscription-limits': {
    stack: 'strict',
    expected: { code: 'TOO_MANY_SUBSCRIPTIONS', message: 'This caller already holds 1 subscriptions (ORDER_FEED_MAX_PER_CALLER).' },
    cases: {
      ws: () => ({ ...q('subscription { orderEvents(orgId: "org2") { type } }'), holdSubscription: true, quietOrg: 'org2' }),
      sse: () => ({ ...q('subscription { orderEvents(orgId: "org2") { type } }'), holdSubscription: true, quietOrg: 'org2' }),
    },
  },
};
