// The violating documents and request builders of test/support/admission-cases.ts: the same
// violation as a query, a subscription, `_entities` and a deferred query, and the refusal shapes.
import type { Transport } from '../../src/graphql/admission-policy.ts';
import type { GraphqlRequest, RequestTweak } from './admission-transports.ts';

export interface Violation {
  request: GraphqlRequest;
  tweak?: RequestTweak & { method?: 'GET' };
  /** `prepared`: an admitted request of the same document, sent twice first; the second must be served by the fast path. */
  teach?: GraphqlRequest;
  /** The org whose PharmaOne calls must stay at zero; every call when unset. */
  quietOrg?: string;
  /** `ws`/`sse`: the caller holds one subscription first. */
  holdSubscription?: boolean;
}

export interface Expected {
  status?: number;
  code?: string;
  message?: string;
  /** A WebSocket refusal that is a close, not a message. */
  closeCode?: number;
}

export interface RuleCases {
  /** `safelisted`: the gateways with PERSISTED_QUERIES_ENFORCE; else the strict ones. */
  stack: 'strict' | 'safelisted';
  expected: Expected | ((transport: Transport) => Expected);
  /** Case builders: one per pair the policy says applies, none elsewhere. */
  cases: Partial<Record<Transport, () => Violation>>;
}

export const q = (query: string, more: Omit<GraphqlRequest, 'query'> = {}): Violation => ({ request: { query, ...more } });

/**
 * The same violation as a query (POST, GET, prepared), a subscription (graphql-ws, graphql-sse),
 * `_entities`, and a query with a deferred fragment sent by a client accepting parts.
 */
export function everywhere(
  query: Violation,
  subscription: Violation,
  entities: Violation,
  prepared: Violation = query,
  incremental: Violation = withDefer(query),
) {
  return {
    post: () => query,
    get: () => query,
    prepared: () => prepared,
    batch: () => query,
    ws: () => subscription,
    sse: () => subscription,
    entities: () => entities,
    incremental: () => incremental,
  };
}

/** The violation's document with a deferred fragment at the start of its first selection set. */
export function withDefer(violation: Violation): Violation {
  const query = violation.request.query.replace('{', '{ ... @defer { __typename }');
  return { ...violation, request: { ...violation.request, query } };
}

/** The document, a comment appended so that it is exactly `bytes` long. */
export function padTo(document: string, bytes: number): string {
  return `${document}\n#${'x'.repeat(bytes - Buffer.byteLength(document) - 2)}`;
}

export const ONE_ORDER_ENTITY = '{ __typename: "Order", orgId: "org1", id: "o1" }';
export const PLAIN = '{ __typename }';
export const PLAIN_SUBSCRIPTION = 'subscription { orderEvents(orgId: "org1") { type } }';
export const PLAIN_ENTITIES = '{ _entities(representations: []) { __typename } }';
export const FOUR_TIMES = (selection: string) => `${selection} `.repeat(4).trim();
export const THREE_DEFERRED = (field: string) => `... @defer { ${field} } `.repeat(3).trim();
export const MANY_TOKENS = `[${'1 '.repeat(400)}]`;
/** Estimated at n + 2 PharmaOne calls: one detail call per order, plus the lookups shared by the operation. */
export const BUDGET_QUERY = 'query B($n: Int) { org(id: "org1") { orders(first: $n) { nodes { items { name } } } } }';

export function statusOnHttp(transport: Transport, status: number): { status?: number } {
  return transport === 'ws' ? {} : { status };
}
