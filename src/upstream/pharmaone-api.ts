// Public API of the upstream layer: one stateless function per PharmaOne operation (DESIGN.md §1),
// each naming its route in the table (routes.ts) and taking one options object. What a request
// owns (credentials, budget, trace, deadline, tokens) is the session it is given.
import type { UpstreamHttp } from './http.ts';
import { checkedAnswer } from './response-shape.ts';
import type { UpstreamSession } from './upstream-session.ts';
import type { QueryOf, ResponseOf } from './routes.ts';
import { buildRouteUrl, ROUTES } from './routes.ts';
import type { ExchangeHooks, IntegrationToken, TokenScope } from './token-broker.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';
import type { components } from '../generated/pharmaone-rest.ts';

type Schemas = components['schemas'];

/** A page of a paginated list route, as the generated types describe it. */
export interface Page<T> {
  data: T[];
  pagination: Schemas['Pagination'];
}

export interface PageQuery {
  limit: number;
  offset: number;
}

/** The route's query parameter names (generated), with the loose values the gateway composes. */
type Q<K extends Parameters<UpstreamSession['call']>[0]> = { [P in keyof QueryOf<K>]?: string | number | boolean | undefined } & PageQuery;
export type OrderListQuery = Q<'GET /api/v2/public/orgs/{org}/orders'>;
export type PrescriptionListQuery = Q<'GET /api/v2/public/orgs/{org}/prescriptions'>;
export type InventoryQuery = Q<'GET /api/v2/public/orgs/{org}/inventory'>;
export type ProductQuery = Q<'GET /api/v2/public/orgs/{org}/products'>;

interface InOrg {
  orgId: string;
}

interface Write<B> extends InOrg {
  body: B;
  idempotencyKey?: string | undefined;
}

export const pharmaoneApi = {
  listShops: (s: UpstreamSession, { orgId }: InOrg) => s.call('GET /api/v2/public/orgs/{org}/shops', { orgId }),

  listOrders: (s: UpstreamSession, { orgId, query }: InOrg & { query: OrderListQuery }) =>
    s.call('GET /api/v2/public/orgs/{org}/orders', { orgId, query: { ...query } }),

  getOrder: (s: UpstreamSession, { orgId, orderId }: InOrg & { orderId: string }) =>
    s.call('GET /api/v2/public/orgs/{org}/orders/{id}', { orgId, params: { id: orderId } }),

  listPrescriptions: (s: UpstreamSession, { orgId, query }: InOrg & { query: PrescriptionListQuery }) =>
    s.call('GET /api/v2/public/orgs/{org}/prescriptions', { orgId, query: { ...query } }),

  listInventory: (s: UpstreamSession, { orgId, query }: InOrg & { query: InventoryQuery }) =>
    s.call('GET /api/v2/public/orgs/{org}/inventory', { orgId, query: { ...query } }),

  listProducts: (s: UpstreamSession, { orgId, query }: InOrg & { query: ProductQuery }) =>
    s.call('GET /api/v2/public/orgs/{org}/products', { orgId, query: { ...query } }),

  getDashboard: (s: UpstreamSession, { orgId }: InOrg) => s.call('GET /api/v2/public/orgs/{org}/reports/dashboard', { orgId }),

  getProductPerformance: (s: UpstreamSession, { orgId, limit }: InOrg & { limit?: number | undefined }) =>
    s.call('GET /api/v2/public/orgs/{org}/reports/product-performance', { orgId, query: { limit } }),

  // Writes. Never retried by the HTTP stack; the session resends only after a 401 (PharmaOne
  // refused the request before doing anything). The Idempotency-Key lets PharmaOne recognise a retry.

  updateOrderStatus: (
    s: UpstreamSession,
    { orgId, orderId, status, idempotencyKey }: InOrg & { orderId: string; status: string; idempotencyKey?: string | undefined },
  ) => s.call('PATCH /api/v2/public/orgs/{org}/orders/{id}/status', { orgId, params: { id: orderId }, body: { status }, idempotencyKey }),

  /** §6: order request with the org's JWT. */
  createOrderRequest: (s: UpstreamSession, { orgId, body, idempotencyKey }: Write<Schemas['OrderRequestBody']>) =>
    s.call('POST /api/v2/public/orgs/{org}/order-requests', { orgId, body, idempotencyKey }),

  /** §7: the same body on the v1 route, authenticated by the API key (checked by Kong). */
  createOrderRequestV1: (s: UpstreamSession, { orgId, body, idempotencyKey }: Write<Schemas['OrderRequestBody']>) =>
    s.call('POST /api/v1/public/orgs/{org}/order-requests', { orgId, body, idempotencyKey }),

  /** §8: an external order through the shop's own proxy, which adds its shop_id. */
  submitExternalOrder: (
    s: UpstreamSession,
    { orgId, shopId, body, idempotencyKey }: Write<Schemas['ExternalOrderBody']> & { shopId: string },
  ) => s.call('POST /api/v1/external-order', { orgId, params: { shopId }, body, idempotencyKey }),

  ingestPrescription: (s: UpstreamSession, { orgId, body, idempotencyKey }: Write<Schemas['PrescriptionIngest']>) =>
    s.call('POST /api/v2/public/orgs/{org}/prescriptions', { orgId, body, idempotencyKey }),
};

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token' as const;

/**
 * §1: exchanges an integration key for a JWT. Used by the token broker, never per request. The
 * token's claims are checked before it is used: it must be for the org asked (`org_id`), carry
 * `scopes`, and an `exp` in the future. Anything else is refused as `invalid_response`.
 */
export function createTokenExchange(http: UpstreamHttp, now: () => number = Date.now) {
  return async (scope: TokenScope, hooks: ExchangeHooks = {}): Promise<IntegrationToken> => {
    const label = ROUTES[TOKEN_ROUTE].label;
    const { url, origin, path } = buildRouteUrl(
      TOKEN_ROUTE,
      { baseUrl: scope.baseUrl, shopUrlTemplate: undefined },
      { params: { org: scope.orgId } },
    );
    const res = await http.send({
      method: 'POST',
      url,
      origin,
      path,
      route: label,
      headers: { apikey: scope.apiKey },
      orgId: scope.orgId,
      // Issuing a JWT changes nothing, and every request waiting on this exchange fails with it.
      idempotent: true,
      onAttempt: hooks.onAttempt,
      rateLimitKey: hooks.rateLimitKey,
    });
    const body = checkedAnswer(TOKEN_ROUTE, res) as ResponseOf<typeof TOKEN_ROUTE>;
    const invalid = () => new UpstreamUnavailableError({ route: label, reason: 'invalid_response', mayHaveArrived: true });
    const claims = exchangedClaims(body.access_token);
    const issuedAtMs = now();
    // A token for another org must never be used on this org's paths; one without exp or scopes cannot be checked.
    if (!claims || claims.orgId !== scope.orgId || claims.exp * 1000 <= issuedAtMs) throw invalid();
    const byExpiresIn = issuedAtMs + (typeof body.expires_in === 'number' && body.expires_in >= 0 ? body.expires_in : 3600) * 1000;
    // Trust the earlier of exp and expires_in: our clock may run ahead of PharmaOne's.
    const expiresAtMs = Math.min(claims.exp * 1000, byExpiresIn);
    return { accessToken: body.access_token, orgId: scope.orgId, scopes: claims.scopes, issuedAtMs, expiresAtMs };
  };
}

/** The claims an exchanged token must carry, or null. The signature is PharmaOne's to check. */
function exchangedClaims(accessToken: string): { orgId: string; scopes: string[]; exp: number } | null {
  const payload = accessToken.split('.')[1];
  if (!payload || payload.length > 16_384) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims.org_id !== 'string' || typeof claims.exp !== 'number' || !Array.isArray(claims.scopes)) return null;
    return { orgId: claims.org_id, exp: claims.exp, scopes: claims.scopes.filter((s): s is string => typeof s === 'string') };
  } catch {
    return null;
  }
}
