import type { OrderRequestResolvers, SubmitOrderRequestPayloadResolvers } from '../resolver-types.ts';
import type { Loaders } from '../../loaders/create-loaders.ts';
import { inOrg } from '../../graphql/in-org.ts';
import type { OrderRequestParent } from './parents.ts';

/** The order an order request created: one GET /orders/{id}, shared with any other read of it. */
async function createdOrder(request: OrderRequestParent | null | undefined, loaders: Loaders) {
  if (!request?.order_id) return null;
  return inOrg(request.orgId, await loaders.orderDetail.load({ orgId: request.orgId, orderId: request.order_id }));
}

export const OrderRequest: OrderRequestResolvers = {
  id: (request) => request.id,
  status: (request) => request.status,
  shopId: (request) => request.shop_id,
  orderId: (request) => request.order_id ?? null,
  order: (request, _, { loaders }) => createdOrder(request, loaders),
  createdAt: (request) => request.created_at ?? null,
};

export const SubmitOrderRequestPayload: SubmitOrderRequestPayloadResolvers = {
  order: (payload, _, { loaders }) => createdOrder(payload.orderRequest, loaders),
};
