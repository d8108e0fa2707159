// §1: trade the integration API key for a JWT.
import { errorReply } from '../errors.ts';
import type { RouteDefinition } from '../route-types.ts';
import { MANAGER_V2 } from './paths.ts';

export const authTokenRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    path: `${MANAGER_V2}/auth/token`,
    auth: { kind: 'apikey-exchange' },
    handle: ({ principal, services }) =>
      principal.apiKey
        ? { status: 200, body: services.tokens.issue(principal.apiKey) }
        : errorReply(401, 'invalid_api_key', 'Missing API key'),
  },
];
