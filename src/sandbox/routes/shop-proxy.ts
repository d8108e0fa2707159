// §8: a shop's own host. The shop checks nothing itself (Kong checks the key), injects its own
// shop_id — a shop_id in the body is overridden — and forwards to Manager §7 over real HTTP, so
// the call log shows both hops. Manager's status and body come back unchanged.
import type { RouteDefinition } from '../route-types.ts';
import { MANAGER_V1, SHOP_HOST } from './paths.ts';

const FORWARDED_HEADERS = ['apikey', 'idempotency-key'] as const;

export const shopProxyRoutes: RouteDefinition[] = [
  {
    method: 'POST',
    path: `${SHOP_HOST}/api/v1/external-order`,
    auth: { kind: 'kong-apikey', scope: 'orders:write' },
    takesBody: true,
    handle: ({ body, headers, org, params, services }) => {
      const { shop_id: _ignored, ...rest } = body;
      const forwardedHeaders: Record<string, string> = { 'content-type': 'application/json' };
      for (const name of FORWARDED_HEADERS) {
        const value = headers[name];
        if (typeof value === 'string') forwardedHeaders[name] = value;
      }
      return services.forward({
        method: 'POST',
        path: `${MANAGER_V1.replace('{org}', encodeURIComponent(org.id))}/order-requests`,
        headers: forwardedHeaders,
        body: { shop_id: params.shopId, ...rest },
      });
    },
  },
];
