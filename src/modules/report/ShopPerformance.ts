import type { ShopPerformanceResolvers } from '../resolver-types.ts';
import { eurosToDecimal } from '../../domain/money.ts';

export const ShopPerformance: ShopPerformanceResolvers = {
  shopId: (row) => row.shop_id,
  name: (row) => row.name,
  shop: (row, _, { loaders }) => loaders.shop(row.orgId, row.shop_id),
  orderCount: (row) => row.order_count,
  totalRevenue: (row) => eurosToDecimal(row.total_revenue),
  uniqueCustomers: (row) => row.unique_customers,
};
