import type { OrderItemResolvers } from '../resolver-types.ts';
import { eurosToCents, lineTotalCents } from '../../domain/money.ts';

export const OrderItem: OrderItemResolvers = {
  name: (item) => item.name,
  quantity: (item) => item.quantity,
  unitPrice: (item) => ({ cents: eurosToCents(item.price) }),
  lineTotal: (item) => ({ cents: lineTotalCents(item.quantity, eurosToCents(item.price)) }),
  // PharmaOne sends "" for a line without a catalog product.
  p1Id: (item) => item.p1_id || null,
  product: (item, _, { loaders }) => (item.p1_id ? loaders.product(item.orgId, item.shopId, item.p1_id) : null),
};
