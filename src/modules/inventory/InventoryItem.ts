import type { InventoryItemResolvers } from '../resolver-types.ts';

export const InventoryItem: InventoryItemResolvers = {
  p1Id: (row) => row.p1_id,
  shopId: (row) => row.shop_id,
  shop: (row, _, { loaders }) => loaders.shop(row.orgId, row.shop_id),
  name: (row) => row.name,
  quantity: (row) => row.quantity,
  reserved: (row) => row.reserved,
  available: (row) => row.quantity - row.reserved,
  unit: (row) => row.unit,
  reorderLevel: (row) => row.reorder_level,
  // Same rule as PharmaOne's low_stock filter: what is free to sell is at or below the reorder level.
  lowStock: (row) => row.quantity - row.reserved <= row.reorder_level,
  product: (row, _, { loaders }) => loaders.product(row.orgId, row.shop_id, row.p1_id),
  updatedAt: (row) => row.updated_at,
};
