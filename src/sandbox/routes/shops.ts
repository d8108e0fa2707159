// §2: the org's shops; each `url` points at that shop's proxy on this sandbox.
import type { RouteDefinition } from '../route-types.ts';
import { shopJson } from '../wire-format.ts';
import { MANAGER_V2 } from './paths.ts';

export const shopRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: `${MANAGER_V2}/shops`,
    auth: { kind: 'jwt', scope: 'shops:read' },
    handle: ({ org, services }) => ({ status: 200, body: { data: org.shops.map((shop) => shopJson(shop, services.publicUrl())) } }),
  },
];
