// Resolver parents (codegen `mappers`, see codegen.ts): what each GraphQL object type's resolvers
// receive. They are PharmaOne's REST objects as they arrive, plus the few keys a REST object does
// not carry but its resolvers need to load related data. Everything else is computed in resolvers.
import type { FeedDelivery } from '../feed/order-feed.ts';
import type { InOrg } from '../loaders/create-loaders.ts';
import type {
  RestDashboardPrescriptionCounts,
  RestDashboardStats,
  RestInventoryItem,
  RestMonthlyTrend,
  RestOrder,
  RestOrderItem,
  RestOrderRequest,
  RestOrderSummary,
  RestPrescription,
  RestPrescriptionItem,
  RestProduct,
  RestProductPerformance,
  RestShippingAddress,
  RestShop,
  RestShopPerformance,
} from '../upstream/rest-types.ts';

/** A REST object plus the org it was read from: every lookup below it calls that org's API with that org's JWT. */
export type { InOrg };

/** An org is just its id: nothing is fetched until a field below it is selected. */
export type OrgParent = { id: string };

/** A row of GET /shops. */
export type ShopParent = InOrg<RestShop>;

/** A list row (GET /orders) or a detail (GET /orders/{id}); resolvers load the detail only for a detail-only field. */
export type OrderParent = InOrg<RestOrderSummary | RestOrder>;

/** An order line, plus its order and shop so `product` can look in the right shop's catalog. */
export type OrderItemParent = InOrg<RestOrderItem & { orderId: string; shopId: string }>;

/** An order's shipping_address as sent. */
export type AddressParent = RestShippingAddress;

/** Integer euro cents (never float euros): see src/domain/money.ts for the conversions. */
export type MoneyParent = { cents: number };

/** A row of GET /prescriptions, items included. */
export type PrescriptionParent = InOrg<RestPrescription>;

/** A prescription's item as sent. */
export type PrescriptionItemParent = RestPrescriptionItem;

/** A row of GET /inventory. */
export type InventoryItemParent = InOrg<RestInventoryItem>;

/** A row of GET /products (one shop's catalog). */
export type ProductParent = InOrg<RestProduct>;

/** One page of a list endpoint: the rows, where the page starts, and the list's `pagination.total`. */
export type ConnectionParent<T> = { nodes: T[]; offset: number; totalCount: number };
export type OrderConnectionParent = ConnectionParent<OrderParent>;
export type PrescriptionConnectionParent = ConnectionParent<PrescriptionParent>;
export type InventoryConnectionParent = ConnectionParent<InventoryItemParent>;
export type ProductConnectionParent = ConnectionParent<ProductParent>;

/** Reports cost nothing until a report is selected; each report is fetched with this org's JWT. */
export type ReportsParent = { orgId: string };

/** The `data` of GET /reports/dashboard. */
export type DashboardStatsParent = InOrg<RestDashboardStats>;

/** The dashboard's prescription counts as sent. */
export type PrescriptionStatsParent = RestDashboardPrescriptionCounts;

/** A dashboard shop_performance row; the org lets `shop` resolve. */
export type ShopPerformanceParent = InOrg<RestShopPerformance>;

/** A dashboard monthly_trends row as sent. */
export type MonthlyTrendParent = RestMonthlyTrend;

/** A row of GET /reports/product-performance; the org lets `product` search the org's catalogs. */
export type ProductPerformanceParent = InOrg<RestProductPerformance>;

/** The answer of POST …/order-requests or the shop proxy; the org lets `order` load the created order. */
export type OrderRequestParent = InOrg<RestOrderRequest>;

/** An org the caller's credential holds a JWT for, with that JWT's scopes. */
export type ViewerOrgParent = { id: string; scopes: string[] };

/** One event of the live order feed (src/feed/): the stored event, its cursor, and its org. */
export type OrderEventParent = Extract<FeedDelivery, { kind: 'event' }>;
