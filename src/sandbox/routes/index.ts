// Every PharmaOne route the sandbox serves, one file per resource.
import type { RouteDefinition } from '../route-types.ts';
import { authTokenRoutes } from './auth-token.ts';
import { inventoryRoutes } from './inventory.ts';
import { orderRequestRoutes } from './order-requests.ts';
import { orderRoutes } from './orders.ts';
import { prescriptionRoutes } from './prescriptions.ts';
import { productRoutes } from './products.ts';
import { reportRoutes } from './reports.ts';
import { shopProxyRoutes } from './shop-proxy.ts';
import { shopRoutes } from './shops.ts';

export const allRoutes: readonly RouteDefinition[] = [
  ...authTokenRoutes,
  ...shopRoutes,
  ...orderRoutes,
  ...orderRequestRoutes,
  ...prescriptionRoutes,
  ...inventoryRoutes,
  ...productRoutes,
  ...reportRoutes,
  ...shopProxyRoutes,
];
