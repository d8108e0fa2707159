// Resolver parents of the order module (codegen `mappers`, see codegen.ts): PharmaOne REST objects
// as they arrive, plus the few keys their resolvers need to load related data.
import type { ConnectionParent, InOrg } from '../../graphql/parents.ts';
import type { RestOrder, RestOrderItem, RestOrderRequest, RestOrderSummary, RestShippingAddress } from '../../upstream/rest-types.ts';

/** A list row (GET /orders) or a detail (GET /orders/{id}); resolvers load the detail only for a detail-only field. */
export type OrderParent = InOrg<RestOrderSummary | RestOrder>;

/** An order line, plus its order and shop so `product` can look in the right shop's catalog. */
export type OrderItemParent = InOrg<RestOrderItem & { orderId: string; shopId: string }>;

/** An order's shipping_address as sent. */
export type AddressParent = RestShippingAddress;

export type OrderConnectionParent = ConnectionParent<OrderParent>;

/** The answer of POST …/order-requests or the shop proxy; the org lets `order` load the created order. */
export type OrderRequestParent = InOrg<RestOrderRequest>;
