import type { ShopResolvers } from '../resolver-types.ts';
import { pageWindow } from '../../domain/cursor.ts';
import { sizeArgument } from '../../graphql/arguments.ts';
import { connectionOf } from '../../graphql/resolvers/connection.ts';
import { shopOrdersPage } from '../../graphql/resolvers/shop-orders.ts';

export const Shop: ShopResolvers = {
  id: (shop) => shop.id,
  orgId: (shop) => shop.orgId,
  name: (shop) => shop.name,
  url: (shop) => shop.url ?? null,
  active: (shop) => shop.active,
  orders: async (shop, args, { pharmaone }, info) => {
    // Usually already in flight: Org.shop starts it beside the shop read (src/graphql/resolvers/child-reads.ts).
    const { offset, read } = shopOrdersPage(pharmaone, shop, args, info.parentType.getFields()[info.fieldName]);
    return connectionOf(await read, offset, shop.orgId);
  },
  products: async (shop, { after, search, ...args }, { pharmaone }, info) => {
    const page = pageWindow(sizeArgument(info, args, 'first'), after);
    const query = { ...page, shop_id: shop.id, search: search ?? undefined };
    return connectionOf(await pharmaone.listProducts(shop.orgId, query), page.offset, shop.orgId);
  },
  inventory: async (shop, { after, lowStock, ...args }, { pharmaone }, info) => {
    const page = pageWindow(sizeArgument(info, args, 'first'), after);
    const query = { ...page, shop_id: shop.id, low_stock: lowStock ? true : undefined };
    return connectionOf(await pharmaone.listInventory(shop.orgId, query), page.offset, shop.orgId);
  },
};
