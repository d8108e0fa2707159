// Friendly names for the generated REST object types that resolver parents and write bodies use.
// Route answers are typed by the route table (routes.ts ResponseOf), not here.
import type { components } from '../generated/pharmaone-rest.ts';

type Schemas = components['schemas'];

export type RestShop = Schemas['Shop'];
export type RestOrderSummary = Schemas['OrderSummary'];
export type RestOrder = Schemas['Order'];
export type RestOrderItem = Schemas['OrderItem'];
export type RestShippingAddress = Schemas['ShippingAddress'];
export type RestOrderRequestBody = Schemas['OrderRequestBody'];
export type RestOrderPayload = Schemas['OrderPayload'];
export type RestExternalOrderBody = Schemas['ExternalOrderBody'];
export type RestOrderRequest = Schemas['OrderRequest'];
export type RestPrescription = Schemas['Prescription'];
export type RestPrescriptionItem = Schemas['PrescriptionItem'];
export type RestPrescriptionIngest = Schemas['PrescriptionIngest'];
export type RestInventoryItem = Schemas['InventoryItem'];
export type RestProduct = Schemas['Product'];
export type RestDashboardStats = Schemas['DashboardStats'];
export type RestDashboardPrescriptionCounts = Schemas['DashboardPrescriptionCounts'];
export type RestShopPerformance = Schemas['ShopPerformance'];
export type RestMonthlyTrend = Schemas['MonthlyTrend'];
export type RestProductPerformance = Schemas['ProductPerformance'];
