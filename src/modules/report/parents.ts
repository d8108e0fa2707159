// Resolver parents of the report module (codegen `mappers`, see codegen.ts): PharmaOne report
// answers as they arrive, plus the org where a field below needs to load related data.
import type { InOrg } from '../../graphql/parents.ts';
import type {
  RestDashboardPrescriptionCounts,
  RestDashboardStats,
  RestMonthlyTrend,
  RestProductPerformance,
  RestShopPerformance,
} from '../../upstream/rest-types.ts';

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
