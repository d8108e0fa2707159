// §11: stock per (shop, product). low_stock=true keeps rows whose available stock
// (quantity - reserved) is at or below the reorder level.
import { booleanParam, pageParams, paginated, stringParam } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';
import { inventoryJson } from '../wire-format.ts';
import { MANAGER_V2 } from './paths.ts';

export const inventoryRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: `${MANAGER_V2}/inventory`,
    auth: { kind: 'jwt', scope: 'inventory:read' },
    handle: ({ org, query }) => {
      const page = pageParams(query);
      const shopId = stringParam(query, 'shop_id');
      const lowStock = booleanParam(query, 'low_stock');
      const rows = org.inventory.filter(
        (item) =>
          (shopId === undefined || item.shopId === shopId) &&
          (lowStock === undefined || item.quantity - item.reserved <= item.reorderLevel === lowStock),
      );
      return { status: 200, body: paginated(rows, page, inventoryJson) };
    },
  },
];
