// Friendly names for the generated REST types. The gateway imports upstream shapes from here, never
// from src/generated directly, so a regenerated contract surfaces as compile errors in one place.
import type { components } from '../generated/pharmaone-rest.ts';

export type { paths, components, operations } from '../generated/pharmaone-rest.ts';

type Schemas = components['schemas'];

export type RestTokenResponse = Schemas['TokenResponse'];
export type RestTokenClaims = Schemas['TokenClaims'];
export type RestShop = Schemas['Shop'];
export type RestShopList = Schemas['ShopList'];
export type RestPagination = Schemas['Pagination'];
export type RestOrderStatusValue = Schemas['OrderStatusValue'];
export type RestOrderSummary = Schemas['OrderSummary'];
export type RestOrderList = Schemas['OrderList'];
export type RestOrder = Schemas['Order'];
export type RestOrderItem = Schemas['OrderItem'];
export type RestShippingAddress = Schemas['ShippingAddress'];
export type RestOrderStatusUpdate = Schemas['OrderStatusUpdate'];
export type RestOrderRequestBody = Schemas['OrderRequestBody'];
export type RestOrderPayload = Schemas['OrderPayload'];
export type RestOrderPayloadItem = Schemas['OrderPayloadItem'];
export type RestExternalOrderBody = Schemas['ExternalOrderBody'];
export type RestOrderRequest = Schemas['OrderRequest'];
export type RestPrescription = Schemas['Prescription'];
export type RestPrescriptionItem = Schemas['PrescriptionItem'];
export type RestPrescriptionList = Schemas['PrescriptionList'];
export type RestPrescriptionIngest = Schemas['PrescriptionIngest'];
export type RestPrescriptionIngestItem = Schemas['PrescriptionIngestItem'];
export type RestInventoryItem = Schemas['InventoryItem'];
export type RestInventoryList = Schemas['InventoryList'];
export type RestProduct = Schemas['Product'];
export type RestProductList = Schemas['ProductList'];
export type RestDashboardStats = Schemas['DashboardStats'];
export type RestDashboardPrescriptionCounts = Schemas['DashboardPrescriptionCounts'];
export type RestShopPerformance = Schemas['ShopPerformance'];
export type RestMonthlyTrend = Schemas['MonthlyTrend'];
export type RestProductPerformance = Schemas['ProductPerformance'];
export type RestProductPerformanceList = Schemas['ProductPerformanceList'];
export type RestError = Schemas['Error'];
export type RestValidationError = Schemas['ValidationError'];
export type RestScopeError = Schemas['ScopeError'];
export type RestKongError = Schemas['KongError'];

/** The §13 response body: the dashboard wrapped in `data`. */
export type RestDashboardResponse = { data: RestDashboardStats };
