// §13 dashboard and §14 product performance, both computed from the store (reports.ts).
import { limitParam } from '../query-params.ts';
import { dashboard, productPerformance } from '../reports.ts';
import type { RouteDefinition } from '../route-types.ts';
import { MANAGER_V2 } from './paths.ts';

export const reportRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: `${MANAGER_V2}/reports/dashboard`,
    auth: { kind: 'jwt', scope: 'reports:read' },
    handle: ({ org }) => ({ status: 200, body: { data: dashboard(org) } }),
  },
  {
    method: 'GET',
    path: `${MANAGER_V2}/reports/product-performance`,
    auth: { kind: 'jwt', scope: 'reports:read' },
    handle: ({ org, query }) => ({ status: 200, body: { data: productPerformance(org, limitParam(query)) } }),
  },
];
