// The PharmaOne REST client: one typed function per upstream endpoint (DESIGN.md §1), each the
// only place its path, auth and query parameters are spelled. JWT calls go through the token
// broker; a 401 evicts the token and retries once with a fresh one. Built per request (it carries
// the caller's credential and the request's call trace); the pool and the broker are shared.
import type { UpstreamHttp, UpstreamResponse } from './http.ts';
import type { IntegrationToken, TokenBroker, TokenScope } from './token-broker.ts';
import { readTokenClaims } from './token-broker.ts';
import { UpstreamCallBudgetExceededError, UpstreamStatusError, UpstreamUnavailableError } from './upstream-errors.ts';
import { raceAbort } from './resilience/deadline.ts';
import type { Deadline } from './resilience/deadline.ts';
import { MissingScopeError } from '../auth/auth-errors.ts';
import type {
  RestDashboardStats,
  RestExternalOrderBody,
  RestInventoryItem,
  RestOrder,
  RestOrderRequest,
  RestOrderRequestBody,
  RestOrderSummary,
  RestPrescriptionIngest,
  RestPagination,
  RestPrescription,
  RestProduct,
  RestProductPerformance,
  RestShop,
  RestTokenResponse,
} from './rest-types.ts';

export interface UpstreamCallRecord {
  method: string;
  /** Route template, e.g. `GET /orders/{id}`: what logs and metrics may show (no ids, no query). */
  route: string;
  /** Path and query as sent, relative to the upstream origin. */
  path: string;
  status: number | 'unavailable';
  ms: number;
  /** True for a lookup served from a cache without an HTTP call (tokens). */
  cached: boolean;
}

export interface Page<T> {
  data: T[];
  pagination: RestPagination;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

export interface OrderListQuery extends PageQuery {
  status?: string | undefined;
  payment_status?: string | undefined;
  shop_id?: string | undefined;
}

export interface PrescriptionListQuery extends PageQuery {
  status?: string | undefined;
  shop_id?: string | undefined;
}

export interface InventoryQuery extends PageQuery {
  shop_id?: string | undefined;
  low_stock?: boolean | undefined;
}

export interface ProductQuery extends PageQuery {
  shop_id: string;
  search?: string | undefined;
}

export interface PharmaOneClientDeps {
  http: UpstreamHttp;
  broker: TokenBroker;
  baseUrl: string;
  shopUrlTemplate: string | undefined;
}

/** Which integration key to use for an org: the caller's own (pass-through) or the operator's (BFF). */
export interface UpstreamCredentials {
  credentialFor(orgId: string): string;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The PharmaOne scope each JWT route needs, checked against the org token's `scopes` before the
 * call is made. Mirrors the OpenAPI file's security requirements (test/contract checks it).
 */
export const ROUTE_SCOPES = {
  'GET /shops': 'shops:read',
  'GET /orders': 'orders:read',
  'GET /orders/{id}': 'orders:read',
  'PATCH /orders/{id}/status': 'orders:write',
  'POST /order-requests': 'orders:write',
  'GET /prescriptions': 'prescriptions:read',
  'POST /prescriptions': 'prescriptions:write',
  'GET /inventory': 'inventory:read',
  'GET /products': 'products:read',
  'GET /reports/dashboard': 'reports:read',
  'GET /reports/product-performance': 'reports:read',
} as const;

interface JwtCall {
  method: 'GET' | 'POST' | 'PATCH';
  /** Path under /api/v2/public/orgs/{org}. */
  path: string;
  /** Route template for errors and metrics, e.g. `GET /orders/{id}`. */
  route: keyof typeof ROUTE_SCOPES;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

export type PharmaOneClient = ReturnType<typeof createPharmaOneClient>;

export function createPharmaOneClient(
  deps: PharmaOneClientDeps,
  caller: UpstreamCredentials,
  trace?: UpstreamCallRecord[],
  limits: { maxCalls: number; deadline?: Deadline | undefined } = { maxCalls: Number.POSITIVE_INFINITY },
) {
  // Every call of the operation shares its deadline; the org picks the bulkhead lane.
  const bounds = (orgId: string) => ({ orgId, signal: limits.deadline?.signal, deadlineAt: limits.deadline?.expiresAt });
  const scopeFor = (orgId: string): TokenScope => ({ baseUrl: deps.baseUrl, orgId, apiKey: caller.credentialFor(orgId) });
  let callsMade = 0;

  async function timed(method: string, route: string, path: string, send: () => Promise<UpstreamResponse>): Promise<UpstreamResponse> {
    // The estimate before execution is an upper bound; this is the hard stop if it ever is not.
    if (++callsMade > limits.maxCalls) throw new UpstreamCallBudgetExceededError(limits.maxCalls);
    const started = performance.now();
    try {
      const res = await send();
      trace?.push({ method, route, path, status: res.status, ms: elapsed(started), cached: false });
      return res;
    } catch (error) {
      trace?.push({ method, route, path, status: 'unavailable', ms: elapsed(started), cached: false });
      throw error;
    }
  }

  // Shows a cached token once per org in the trace, not once per call.
  const tracedCachedTokens = new Set<string>();
  async function token(orgId: string): Promise<IntegrationToken> {
    const started = performance.now();
    // The exchange is shared with other requests, so it runs on; only this request stops waiting.
    const lookup = await raceAbort(deps.broker.getToken(scopeFor(orgId)), limits.deadline?.signal, () => {
      return new UpstreamUnavailableError({ route: 'POST /auth/token', reason: 'deadline', mayHaveArrived: false });
    });
    if (!lookup.cached || !tracedCachedTokens.has(orgId)) {
      tracedCachedTokens.add(orgId);
      // An exchange this request waited for (its own or a concurrent request's) shows with its time.
      const ms = lookup.cached ? 0 : elapsed(started);
      trace?.push({
        method: 'POST',
        route: 'POST /auth/token',
        path: `${orgBase(orgId)}/auth/token`,
        status: 200,
        ms,
        cached: lookup.cached,
      });
    }
    return lookup.token;
  }

  async function jwt<T>(orgId: string, call: JwtCall): Promise<T> {
    const path = `${orgBase(orgId)}${call.path}${queryString(call.query)}`;
    for (let attempt = 1; ; attempt++) {
      const current = await token(orgId);
      // Refuse locally what PharmaOne would refuse with 403 (tokens without a scopes claim are left to PharmaOne).
      const scope = ROUTE_SCOPES[call.route];
      if (current.scopes.length > 0 && !current.scopes.includes(scope)) throw new MissingScopeError(call.route, scope);
      const res = await timed(call.method, call.route, path, () =>
        deps.http.send({
          method: call.method,
          url: deps.baseUrl + path,
          route: call.route,
          headers: { authorization: `Bearer ${current.accessToken}`, ...call.headers },
          body: call.body,
          ...bounds(orgId),
        }),
      );
      // A token can die before its exp (revoked, rotated secret): refresh once, then give up.
      if (res.status === 401 && attempt === 1) {
        deps.broker.invalidate(scopeFor(orgId), current);
        continue;
      }
      return expectOk<T>(res, call.route);
    }
  }

  /** Calls authenticated by the integration key itself (Kong-checked routes, shop proxies). */
  async function withApiKey<T>(call: {
    orgId: string;
    url: string;
    route: string;
    body: unknown;
    idempotencyKey: string | undefined;
  }): Promise<T> {
    const apiKey = caller.credentialFor(call.orgId);
    const url = new URL(call.url);
    const res = await timed('POST', call.route, url.pathname + url.search, () =>
      deps.http.send({
        method: 'POST',
        url: call.url,
        route: call.route,
        headers: { apikey: apiKey, ...idempotencyHeader(call.idempotencyKey) },
        body: call.body,
        ...bounds(call.orgId),
      }),
    );
    return expectOk<T>(res, call.route);
  }

  return {
    /** The org's JWT, exchanging the caller's key if none is cached: proves the caller may reach the org. */
    token,

    /** The unexpired tokens an integration key holds (pass-through viewer; no upstream call). */
    heldTokens: (apiKey: string) => deps.broker.heldTokens(deps.baseUrl, apiKey),

    listShops: (orgId: string) => jwt<{ data: RestShop[] }>(orgId, { method: 'GET', path: '/shops', route: 'GET /shops' }),

    listOrders: (orgId: string, query: OrderListQuery) =>
      jwt<Page<RestOrderSummary>>(orgId, { method: 'GET', path: '/orders', route: 'GET /orders', query: { ...query } }),

    getOrder: (orgId: string, orderId: string) =>
      jwt<RestOrder>(orgId, { method: 'GET', path: `/orders/${encodeURIComponent(orderId)}`, route: 'GET /orders/{id}' }),

    listPrescriptions: (orgId: string, query: PrescriptionListQuery) =>
      jwt<Page<RestPrescription>>(orgId, { method: 'GET', path: '/prescriptions', route: 'GET /prescriptions', query: { ...query } }),

    listInventory: (orgId: string, query: InventoryQuery) =>
      jwt<Page<RestInventoryItem>>(orgId, { method: 'GET', path: '/inventory', route: 'GET /inventory', query: { ...query } }),

    listProducts: (orgId: string, query: ProductQuery) =>
      jwt<Page<RestProduct>>(orgId, { method: 'GET', path: '/products', route: 'GET /products', query: { ...query } }),

    getDashboard: (orgId: string) =>
      jwt<{ data: RestDashboardStats }>(orgId, { method: 'GET', path: '/reports/dashboard', route: 'GET /reports/dashboard' }),

    getProductPerformance: (orgId: string, limit: number | undefined) =>
      jwt<{ data: RestProductPerformance[] }>(orgId, {
        method: 'GET',
        path: '/reports/product-performance',
        route: 'GET /reports/product-performance',
        query: { limit },
      }),

    // Writes. Never retried here, except the one token refresh after a 401 (PharmaOne refused the
    // request before doing anything). The Idempotency-Key lets PharmaOne recognise a client's retry.

    updateOrderStatus: (orgId: string, orderId: string, status: string, idempotencyKey?: string) =>
      jwt<RestOrder>(orgId, {
        method: 'PATCH',
        path: `/orders/${encodeURIComponent(orderId)}/status`,
        route: 'PATCH /orders/{id}/status',
        body: { status },
        headers: idempotencyHeader(idempotencyKey),
      }),

    /** §6: order request with the org's JWT. */
    createOrderRequest: (orgId: string, body: RestOrderRequestBody, idempotencyKey?: string) =>
      jwt<RestOrderRequest>(orgId, {
        method: 'POST',
        path: '/order-requests',
        route: 'POST /order-requests',
        body,
        headers: idempotencyHeader(idempotencyKey),
      }),

    /** §7: the same body on the v1 route, authenticated by the API key (checked by Kong). */
    createOrderRequestV1: (orgId: string, body: RestOrderRequestBody, idempotencyKey?: string) =>
      withApiKey<RestOrderRequest>({
        orgId,
        url: `${deps.baseUrl}/api/v1/public/orgs/${encodeURIComponent(orgId)}/order-requests`,
        route: 'POST /api/v1/order-requests',
        body,
        idempotencyKey,
      }),

    /** §8: an external order through the shop's own proxy, which adds its shop_id. */
    submitExternalOrder: (orgId: string, shopId: string, body: RestExternalOrderBody, idempotencyKey?: string) => {
      if (!deps.shopUrlTemplate) throw new ShopProxyNotConfiguredError();
      return withApiKey<RestOrderRequest>({
        orgId,
        url: `${deps.shopUrlTemplate.replace('{shopId}', encodeURIComponent(shopId))}/api/v1/external-order`,
        route: 'POST {shop}/api/v1/external-order',
        body,
        idempotencyKey,
      });
    },

    ingestPrescription: (orgId: string, body: RestPrescriptionIngest, idempotencyKey?: string) =>
      jwt<RestPrescription>(orgId, {
        method: 'POST',
        path: '/prescriptions',
        route: 'POST /prescriptions',
        body,
        headers: idempotencyHeader(idempotencyKey),
      }),
  };
}

/** PHARMAONE_SHOP_URL_TEMPLATE is unset, so there is no shop proxy to send §8 orders to. */
export class ShopProxyNotConfiguredError extends Error {
  constructor() {
    super('The shop proxy URL template (PHARMAONE_SHOP_URL_TEMPLATE) is not configured.');
    this.name = 'ShopProxyNotConfiguredError';
  }
}

function idempotencyHeader(key: string | undefined): Record<string, string> {
  return key === undefined ? {} : { 'idempotency-key': key };
}

/** §1: exchanges an integration key for a JWT. Used by the token broker, never per request. */
export function createTokenExchange(http: UpstreamHttp, now: () => number = Date.now) {
  return async (scope: TokenScope): Promise<IntegrationToken> => {
    const route = 'POST /auth/token';
    const res = await http.send({
      method: 'POST',
      url: `${scope.baseUrl}${orgBase(scope.orgId)}/auth/token`,
      route,
      headers: { apikey: scope.apiKey },
      orgId: scope.orgId,
      // Issuing a JWT changes nothing, and every request waiting on this exchange fails with it.
      idempotent: true,
    });
    const body = expectOk<RestTokenResponse>(res, route);
    if (typeof body?.access_token !== 'string') {
      throw new UpstreamUnavailableError({ route, reason: 'invalid_response', mayHaveArrived: true });
    }
    const claims = readTokenClaims(body.access_token);
    // A token for another org must never be used on this org's paths.
    if (claims.orgId !== undefined && claims.orgId !== scope.orgId) {
      throw new UpstreamUnavailableError({ route, reason: 'invalid_response', mayHaveArrived: true });
    }
    const issuedAtMs = now();
    const byExpiresIn = issuedAtMs + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    // Trust the earlier of exp and expires_in: our clock may run ahead of PharmaOne's.
    const expiresAtMs = claims.exp ? Math.min(claims.exp * 1000, byExpiresIn) : byExpiresIn;
    return { accessToken: body.access_token, orgId: scope.orgId, scopes: claims.scopes, issuedAtMs, expiresAtMs };
  };
}

function expectOk<T>(res: UpstreamResponse, route: string): T {
  if (res.status >= 200 && res.status < 300) return res.body as T;
  const body = (res.body ?? {}) as { error?: unknown; fields?: unknown; required_scope?: unknown };
  const retryAfter = Number(res.headers['retry-after']);
  throw new UpstreamStatusError({
    status: res.status,
    route,
    upstreamCode: typeof body.error === 'string' ? body.error : undefined,
    fields: Array.isArray(body.fields) ? body.fields.filter((f): f is string => typeof f === 'string') : undefined,
    requiredScope: typeof body.required_scope === 'string' ? body.required_scope : undefined,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}

export function orgBase(orgId: string): string {
  return `/api/v2/public/orgs/${encodeURIComponent(orgId)}`;
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
