// §11: stock per (shop, product). low_stock=true keeps rows whose available stock
// (quantity - reserved) is at or below the reorder level.
import { booleanParam, stringParam } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';
import { inventoryJson } from '../wire-format.ts';
import { listRoute } from './list-route.ts';
import { MANAGER_V2 } from './paths.ts';

export const inventoryRoutes: RouteDefinition[] = [
  listRoute(`${MANAGER_V2}/inventory`, 'inventory:read', {
    rows(org, query) {
      const shopId = stringParam(query, 'shop_id');
      const lowStock = booleanParam(query, 'low_stock');
      return org.inventory.filter(
        (item) =>
          (shopId === undefined || item.shopId === shopId) &&
          (lowStock === undefined || item.quantity - item.reserved <= item.reorderLevel === lowStock),
      );
    },
    toJson: inventoryJson,
  }),
];
