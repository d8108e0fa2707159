// §1: the integration key → JWT exchange the token broker makes (never a request's own call).
// Its route comes from the table (routes.ts) like every other; it is not a client method because
// only the broker may start an exchange.
import type { UpstreamHttp } from './http.ts';
import { checkedAnswer } from './response-shape.ts';
import type { ResponseOf } from './routes.ts';
import { buildRouteUrl, methodOf, ROUTE_BY_OPERATION, ROUTES } from './routes.ts';
import type { ExchangeHooks, IntegrationToken, TokenScope } from './token-broker.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';

const TOKEN_ROUTE = ROUTE_BY_OPERATION.exchangeToken;

/**
 * Exchanges an integration key for a JWT. The token's claims are checked before it is used: it must
 * be for the org asked (`org_id`), carry `scopes`, and an `exp` in the future. Anything else is
 * refused as `invalid_response`.
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
      method: methodOf(TOKEN_ROUTE),
      url,
      origin,
      path,
      route: label,
      headers: { apikey: scope.apiKey },
      orgId: scope.orgId,
      // The table's retry class (read): issuing a JWT changes nothing, and every request waiting on
      // this exchange fails with it.
      idempotent: ROUTES[TOKEN_ROUTE].retry === 'read',
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
