// Public API of the upstream layer: the PharmaOne client as the GraphQL layer uses it. One method
// per route of the table (routes.ts), named by its OpenAPI operationId and typed from the generated
// contract types, so a route added to the table is a method here without an edit. Reads take
// `(orgId, ...path values, query)`; writes one options object. Bound to one request's session
// (upstream-session.ts: budget, trace, deadline, tokens); built per request in the GraphQL context,
// while the HTTP stack and the token broker behind it are shared.
import type { components } from '../generated/pharmaone-rest.ts';
import type { BodyOf, OperationId, PathParamsOf, QueryOf, ResponseOf, RouteKey, RouteOf } from './routes.ts';
import { methodOf, pathParamsOf, ROUTE_BY_OPERATION, ROUTES } from './routes.ts';
import { createUpstreamSession } from './upstream-session.ts';
import type { RouteCall, UpstreamSession, UpstreamSessionOptions } from './upstream-session.ts';

export { createTokenExchange } from './token-exchange.ts';
export type { PharmaOneClientDeps, UpstreamCallRecord, UpstreamCredentials } from './upstream-session.ts';
export { ShopProxyNotConfiguredError } from './routes.ts';

/** A page of a paginated list route, as the generated types describe it. */
export interface Page<T> {
  data: T[];
  pagination: components['schemas']['Pagination'];
}

export interface PageQuery {
  limit: number;
  offset: number;
}

/** A route's query parameter names (generated), with the loose values the gateway composes. */
type LooseQuery<K extends RouteKey> = { [P in keyof QueryOf<K>]?: string | number | boolean | undefined };

/** A paginated list's query: its own parameters, and always a page. */
export type ListQuery<O extends OperationId> = LooseQuery<RouteOf<O>> & PageQuery;
export type OrderListQuery = ListQuery<'listOrders'>;
export type PrescriptionListQuery = ListQuery<'listPrescriptions'>;

type QueryArgs<K extends RouteKey> = (typeof ROUTES)[K]['paged'] extends true
  ? [query: LooseQuery<K> & PageQuery]
  : [QueryOf<K>] extends [never]
    ? []
    : [query?: LooseQuery<K>];

type PathValues<Names extends string[]> = Names extends [string, ...infer Rest extends string[]] ? [string, ...PathValues<Rest>] : [];

/** A read: the org, the route's other path values in template order, then its query if it has one. */
type ReadMethod<K extends RouteKey> = (orgId: string, ...args: [...PathValues<PathParamsOf<K>>, ...QueryArgs<K>]) => Promise<ResponseOf<K>>;

/** A write's path values: `shopId` for a shop-proxy route (its host), else the template's own. */
type WriteParams<K extends RouteKey> = (typeof ROUTES)[K]['host'] extends 'shop'
  ? { params: { shopId: string } }
  : PathParamsOf<K> extends []
    ? { params?: never }
    : { params: Record<PathParamsOf<K>[number], string> };

/**
 * A write. Never retried by the HTTP stack; the session resends only after a 401 (PharmaOne
 * refused the request before doing anything). The Idempotency-Key lets PharmaOne recognise a retry.
 */
export type WriteCall<K extends RouteKey> = { orgId: string; body: BodyOf<K>; idempotencyKey?: string | undefined } & WriteParams<K>;
type WriteMethod<K extends RouteKey> = (write: WriteCall<K>) => Promise<ResponseOf<K>>;

/** Every route but the token exchange, which only the token broker makes (token-exchange.ts). */
type ClientRoute = Exclude<RouteKey, RouteOf<'exchangeToken'>>;

export type RouteMethods = {
  [K in ClientRoute as (typeof ROUTES)[K]['operation']]: K extends `GET ${string}` ? ReadMethod<K> : WriteMethod<K>;
};

export type PharmaOneClient = ReturnType<typeof createPharmaOneClient>;

/** Where a client's methods find its session: a symbol, so the client's own keys are its methods. */
const SESSION = Symbol('upstream session');

interface SessionHolder {
  [SESSION]: UpstreamSession;
}

/**
 * The client's methods, made once per route: a request's client is a copy of this object (its
 * methods shared, found by `this`) plus its session, not a closure per route per request (~30).
 */
const METHODS: Record<string, unknown> = {};
for (const key of Object.keys(ROUTES) as RouteKey[]) {
  if (key !== ROUTE_BY_OPERATION.exchangeToken)
    METHODS[ROUTES[key].operation] = methodOf(key) === 'GET' ? readMethod(key) : writeMethod(key);
}

function readMethod(key: RouteKey) {
  const names = pathParamsOf(key);
  return function read(this: SessionHolder, orgId: string, ...args: unknown[]) {
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i] as string] = args[i] as string;
    const query = args[names.length] as RouteCall['query'];
    return this[SESSION].call(key, { orgId, params, query: query && { ...query } });
  };
}

function writeMethod(key: RouteKey) {
  return function write(this: SessionHolder, input: RouteCall) {
    return this[SESSION].call(key, input);
  };
}

export function createPharmaOneClient(options: UpstreamSessionOptions) {
  const s = readsOnce(createUpstreamSession(options));
  return {
    ...(METHODS as RouteMethods),
    /** The org's JWT, exchanging the caller's key if none is cached: proves the caller may reach the org. */
    token: s.token,
    /** The unexpired tokens an integration key holds (pass-through viewer; no upstream call). */
    heldTokens: s.heldTokens,
    [SESSION]: s,
  };
}

/**
 * One request scope sends each GET at most once until it writes: aliases of one field, the
 * operations of a batch (one scope, src/graphql/batch-admission.ts) and resolvers that ask again
 * share the answer (or the failure). A write forgets every read, since it may change any of
 * them; DataLoader caches forget theirs by the same rule (src/loaders/create-loaders.ts,
 * forgetWrite). Bounded by the request: each kept read is a call its budget counted.
 */
function readsOnce(session: UpstreamSession): UpstreamSession {
  const reads = new Map<string, Promise<unknown>>();
  return {
    ...session,
    call(route, input) {
      if (methodOf(route) !== 'GET') {
        reads.clear();
        return session.call(route, input);
      }
      const key = `${route}\n${input.orgId}\n${JSON.stringify(input.params ?? {})}\n${JSON.stringify(input.query ?? {})}`;
      let read = reads.get(key);
      if (read === undefined) {
        read = session.call(route, input);
        reads.set(key, read);
      }
      return read as ReturnType<typeof session.call<typeof route>>;
    },
  };
}
