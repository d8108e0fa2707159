// §3 list, §4 detail, §5 status transitions.
import { errorReply, notFound, ReplyError } from '../errors.ts';
import { ORDER_STATUSES, PAYMENT_STATUSES, type Order, type OrderStatus, type OrgData } from '../model.ts';
import { allowedTransitions, canTransition } from '../order-transitions.ts';
import { enumParam, stringParam } from '../query-params.ts';
import type { RouteContext, RouteDefinition } from '../route-types.ts';
import { orderDetail, orderSummary } from '../wire-format.ts';
import { listRoute } from './list-route.ts';
import { MANAGER_V2 } from './paths.ts';

function findOrder({ org, params, services }: RouteContext): Order {
  const order = services.store.order(org, params.id ?? '');
  if (!order) throw new ReplyError(notFound(`Order ${params.id} not found`));
  return order;
}

function ordersKept(org: OrgData, query: URLSearchParams) {
  const status = enumParam(query, 'status', ORDER_STATUSES);
  const paymentStatus = enumParam(query, 'payment_status', PAYMENT_STATUSES);
  const shopId = stringParam(query, 'shop_id');
  return org.orders.filter(
    (order) =>
      (status === undefined || order.status === status) &&
      (paymentStatus === undefined || order.paymentStatus === paymentStatus) &&
      (shopId === undefined || order.shopId === shopId),
  );
}

function updateStatus(context: RouteContext) {
  const wanted = context.body.status;
  if (typeof wanted !== 'string' || !(ORDER_STATUSES as readonly string[]).includes(wanted)) {
    return errorReply(400, 'invalid_status', `status must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  const order = findOrder(context);
  const to = wanted as OrderStatus;
  if (!canTransition(order.status, to)) {
    const allowed = allowedTransitions(order.status);
    return errorReply(
      409,
      'invalid_transition',
      `Cannot move order ${order.id} from ${order.status} to ${to}` +
        (allowed.length === 0 ? ` (${order.status} is final)` : ` (allowed: ${allowed.join(', ')})`),
    );
  }
  order.status = to;
  order.updatedAt = context.services.store.stamp();
  return { status: 200, body: orderDetail(order) };
}

export const orderRoutes: RouteDefinition[] = [
  listRoute(`${MANAGER_V2}/orders`, 'orders:read', { rows: ordersKept, toJson: orderSummary }),
  {
    method: 'GET',
    path: `${MANAGER_V2}/orders/{id}`,
    auth: { kind: 'jwt', scope: 'orders:read' },
    handle: (context) => ({ status: 200, body: orderDetail(findOrder(context)) }),
  },
  {
    method: 'PATCH',
    path: `${MANAGER_V2}/orders/{id}/status`,
    auth: { kind: 'jwt', scope: 'orders:write' },
    takesBody: true,
    idempotent: true,
    handle: updateStatus,
  },
];
