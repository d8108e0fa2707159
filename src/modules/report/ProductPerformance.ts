import type { ProductPerformanceResolvers } from '../resolver-types.ts';
import { eurosToDecimal } from '../../domain/money.ts';

export const ProductPerformance: ProductPerformanceResolvers = {
  p1Id: (row) => row.p1_id,
  name: (row) => row.name,
  unitsSold: (row) => row.units_sold,
  orderCount: (row) => row.order_count,
  revenue: (row) => eurosToDecimal(row.revenue),
  // The report is org-wide; the first shop (in GET /shops order) that lists the product describes it.
  product: async (row, _, { loaders }) => {
    const shops = await loaders.shopsByOrg.load(row.orgId);
    const candidates = await Promise.all(shops.map((shop) => loaders.product(row.orgId, shop.id, row.p1_id)));
    return candidates.find((product) => product !== null) ?? null;
  },
};
