import type { OrgResolvers } from '../resolver-types.ts';
import { pageWindow } from '../../domain/cursor.ts';
import { sizeArgument } from '../../graphql/arguments.ts';
import { notFound } from '../../graphql/errors.ts';
import { upstreamId } from '../../upstream/upstream-ids.ts';
import { allInOrg, inOrg } from '../../graphql/in-org.ts';
import { connectionOf } from '../../graphql/resolvers/connection.ts';
import { startChildReads } from '../../graphql/resolvers/child-reads.ts';
import { shopChildReads } from '../../graphql/resolvers/shop-orders.ts';
import { orderListQuery, prescriptionListQuery } from '../../graphql/resolvers/list-filters.ts';

export const Org: OrgResolvers = {
  id: (org) => org.id,
  shops: async (org, _, { loaders }) => allInOrg(org.id, await loaders.shopsByOrg.load(org.id)),
  shop: async (org, { id }, { loaders, pharmaone }, info) => {
    const shopId = upstreamId('id', id);
    // The shop's selected child reads (its orders page) need only its id, not GET /shops' answer:
    // started now, they share PharmaOne's wait with the shop read instead of following it. For an
    // unknown shop they are abandoned quietly (one wasted call, within the estimate's bound).
    startChildReads(info, shopChildReads(pharmaone, { orgId: org.id, id: shopId }));
    const shop = await loaders.shop(org.id, shopId);
    if (!shop) throw notFound('Shop', id);
    return shop;
  },
  orders: async (org, { after, filter, ...args }, { pharmaone }, info) => {
    const page = pageWindow(sizeArgument(info, args, 'first'), after);
    return connectionOf(await pharmaone.listOrders(org.id, orderListQuery(page, filter)), page.offset, org.id);
  },
  order: async (org, { id }, { loaders }) =>
    inOrg(org.id, await loaders.orderDetail.load({ orgId: org.id, orderId: upstreamId('id', id) })),
  prescriptions: async (org, { after, filter, ...args }, { pharmaone }, info) => {
    const page = pageWindow(sizeArgument(info, args, 'first'), after);
    return connectionOf(await pharmaone.listPrescriptions(org.id, prescriptionListQuery(page, filter)), page.offset, org.id);
  },
  inventory: async (org, { shopId, after, lowStock, ...args }, { pharmaone }, info) => {
    const page = pageWindow(sizeArgument(info, args, 'first'), after);
    // low_stock=false would mean "only well-stocked rows" to some APIs; the SDL promises all rows.
    const query = { ...page, shop_id: shopId ?? undefined, low_stock: lowStock ? true : undefined };
    return connectionOf(await pharmaone.listInventory(org.id, query), page.offset, org.id);
  },
  reports: (org) => inOrg(org.id, {}),
};
