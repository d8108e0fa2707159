// The PharmaOne client as the GraphQL layer uses it: the stateless route functions
// (pharmaone-api.ts) bound to one request's session (upstream-session.ts). Built per request in
// the GraphQL context; the HTTP stack and the token broker behind it are shared. Reads keep the
// short (orgId, query) form resolvers use; writes take one options object.
import { pharmaoneApi } from './pharmaone-api.ts';
import type { InventoryQuery, OrderListQuery, PrescriptionListQuery, ProductQuery } from './pharmaone-api.ts';
import { createUpstreamSession } from './upstream-session.ts';
import type { UpstreamSessionOptions } from './upstream-session.ts';

export type { Page, PageQuery, OrderListQuery, PrescriptionListQuery, InventoryQuery, ProductQuery } from './pharmaone-api.ts';
export { createTokenExchange } from './pharmaone-api.ts';
export type { PharmaOneClientDeps, UpstreamCallRecord, UpstreamCredentials } from './upstream-session.ts';
export { ShopProxyNotConfiguredError } from './routes.ts';

export type PharmaOneClient = ReturnType<typeof createPharmaOneClient>;

type WriteOptions<K extends keyof typeof pharmaoneApi> = Parameters<(typeof pharmaoneApi)[K]>[1];

export function createPharmaOneClient(options: UpstreamSessionOptions) {
  const s = createUpstreamSession(options);
  const api = pharmaoneApi;
  return {
    /** The org's JWT, exchanging the caller's key if none is cached: proves the caller may reach the org. */
    token: s.token,
    /** The unexpired tokens an integration key holds (pass-through viewer; no upstream call). */
    heldTokens: s.heldTokens,
    listShops: (orgId: string) => api.listShops(s, { orgId }),
    listOrders: (orgId: string, query: OrderListQuery) => api.listOrders(s, { orgId, query }),
    getOrder: (orgId: string, orderId: string) => api.getOrder(s, { orgId, orderId }),
    listPrescriptions: (orgId: string, query: PrescriptionListQuery) => api.listPrescriptions(s, { orgId, query }),
    listInventory: (orgId: string, query: InventoryQuery) => api.listInventory(s, { orgId, query }),
    listProducts: (orgId: string, query: ProductQuery) => api.listProducts(s, { orgId, query }),
    getDashboard: (orgId: string) => api.getDashboard(s, { orgId }),
    getProductPerformance: (orgId: string, limit: number | undefined) => api.getProductPerformance(s, { orgId, limit }),
    updateOrderStatus: (write: WriteOptions<'updateOrderStatus'>) => api.updateOrderStatus(s, write),
    createOrderRequest: (write: WriteOptions<'createOrderRequest'>) => api.createOrderRequest(s, write),
    createOrderRequestV1: (write: WriteOptions<'createOrderRequestV1'>) => api.createOrderRequestV1(s, write),
    submitExternalOrder: (write: WriteOptions<'submitExternalOrder'>) => api.submitExternalOrder(s, write),
    ingestPrescription: (write: WriteOptions<'ingestPrescription'>) => api.ingestPrescription(s, write),
  };
}
