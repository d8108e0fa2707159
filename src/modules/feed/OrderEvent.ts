import type { OrderEventResolvers } from '../resolver-types.ts';
import { orderStatusFromRest } from '../../domain/enums.ts';

export const OrderEvent: OrderEventResolvers = {
  type: (delivery) => delivery.event.type,
  at: (delivery) => delivery.event.at,
  cursor: (delivery) => delivery.cursor,
  order: (delivery) => ({ ...delivery.event.order, orgId: delivery.orgId }),
  previousStatusRaw: (delivery) => delivery.event.previousStatus ?? '',
  previousStatus: (delivery) => (delivery.event.previousStatus === null ? null : orderStatusFromRest(delivery.event.previousStatus).value),
};
