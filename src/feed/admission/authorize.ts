// Who may subscribe to an org's feed, decided before anything is polled: the caller's credential
// for the org (BFF: an org the sign-in does not grant is refused with no call), and the org's
// token (cached, or one exchange) must carry orders:read. A refused credential is remembered by
// the token broker (TOKEN_NEGATIVE_CACHE_MS, fleet-wide with Redis), so a subscriber retrying it
// costs PharmaOne nothing. How many subscriptions a caller and a connection may hold is
// live-count-limiter.ts.
import { MissingScopeError } from '../../auth/auth-errors.ts';
import type { Caller } from '../../auth/caller.ts';
import { ROUTE_BY_OPERATION, ROUTES } from '../../upstream/routes.ts';
import { ATTEMPTS_PER_CALL } from '../feed-scope.ts';
import type { FeedScope, FeedScopes } from '../feed-scope.ts';

/** The caller's scope for `orgId`, once its credential may read the org's orders; throws otherwise. */
export async function authorize(scopes: FeedScopes, caller: Caller, orgId: string): Promise<FeedScope> {
  const scope = scopes.of(caller, orgId);
  const token = await scopes.requestScope(scope, ATTEMPTS_PER_CALL).pharmaone.token(orgId);
  const polled = ROUTES[ROUTE_BY_OPERATION.listOrders];
  if (token.scopes.length > 0 && !token.scopes.includes(polled.scope)) throw new MissingScopeError(polled.label, polled.scope);
  return scope;
}
