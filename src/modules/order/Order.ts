import type { OrderResolvers } from '../resolver-types.ts';
import { orderStatusFromRest, paymentStatusFromRest } from '../../domain/enums.ts';
import { eurosToCents } from '../../domain/money.ts';
import type { Loaders } from '../../loaders/create-loaders.ts';
import type { RestOrder } from '../../upstream/rest-types.ts';
import { allInOrg } from '../../graphql/in-org.ts';
import type { OrderParent } from './parents.ts';

/** The order's detail: the parent itself when it is one, else one GET /orders/{id} (deduplicated per request). */
async function detailOf(order: OrderParent, loaders: Loaders): Promise<RestOrder> {
  if ('items' in order && Array.isArray(order.items)) return order;
  return loaders.orderDetail.load({ orgId: order.orgId, orderId: order.id });
}

export const Order: OrderResolvers = {
  id: (order) => order.id,
  orgId: (order) => order.orgId,
  shopId: (order) => order.shop_id,
  shop: (order, _, { loaders }) => loaders.shop(order.orgId, order.shop_id),
  customerName: (order) => order.customer_name ?? null,
  customerEmail: async (order, _, { loaders }) => (await detailOf(order, loaders)).customer_email ?? null,
  status: (order) => orderStatusFromRest(order.status).value,
  statusRaw: (order) => orderStatusFromRest(order.status).raw,
  paymentStatus: (order) => paymentStatusFromRest(order.payment_status).value,
  paymentStatusRaw: (order) => paymentStatusFromRest(order.payment_status).raw,
  totalAmount: (order) => ({ cents: eurosToCents(order.total_amount) }),
  items: async (order, _, { loaders }) => {
    const detail = await detailOf(order, loaders);
    return allInOrg(
      order.orgId,
      detail.items.map((item) => ({ ...item, orderId: detail.id, shopId: detail.shop_id })),
    );
  },
  shippingAddress: async (order, _, { loaders }) => (await detailOf(order, loaders)).shipping_address ?? null,
  createdAt: (order) => order.created_at,
  updatedAt: (order) => order.updated_at,
};
