import type { ProductResolvers } from '../resolver-types.ts';
import { eurosToCents } from '../../domain/money.ts';

export const Product: ProductResolvers = {
  id: (product) => product.id,
  orgId: (product) => product.orgId,
  p1Id: (product) => product.p1_id,
  shopId: (product) => product.shop_id,
  shop: (product, _, { loaders }) => loaders.shop(product.orgId, product.shop_id),
  name: (product) => product.name,
  category: (product) => product.category ?? null,
  price: (product) => ({ cents: eurosToCents(product.price) }),
  unit: (product) => product.unit,
  active: (product) => product.active,
  stock: (product, _, { loaders }) => loaders.stock(product.orgId, product.shop_id, product.p1_id),
};
