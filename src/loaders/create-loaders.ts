// Per-request DataLoaders (built in the GraphQL context, never shared between requests, so no
// caller ever sees another's data). Each loader states the REST calls it makes.
import DataLoader from 'dataloader';
import type { PharmaOneClient } from '../upstream/pharmaone-client.ts';
import type { RestInventoryItem, RestOrder, RestProduct, RestShop } from '../upstream/rest-types.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';

export interface OrderKey {
  orgId: string;
  orderId: string;
}

export interface ShopKey {
  orgId: string;
  shopId: string;
}

/** PharmaOne's largest page (DESIGN.md §1: limit 1–100). */
const MAX_PAGE = 100;

export type Loaders = ReturnType<typeof createLoaders>;

/** A REST object tagged with the org it was read from (what resolvers need to look further). */
export type InOrg<T> = T & { orgId: string };

export function createLoaders(pharmaone: PharmaOneClient, options: { detailConcurrency: number }) {
  // There is no batch endpoint for orders: one GET /orders/{id} per distinct id, in parallel, capped.
  const orderDetail = new DataLoader<OrderKey, RestOrder, string>(
    (keys) => mapWithConcurrency(keys, options.detailConcurrency, (key) => pharmaone.getOrder(key.orgId, key.orderId)),
    { cacheKeyFn: (key) => `${key.orgId}\n${key.orderId}` },
  );

  // One GET /shops per org per request, however many shops or orders ask.
  const shopsByOrg = new DataLoader<string, RestShop[]>((orgIds) =>
    Promise.all(orgIds.map((orgId) => pharmaone.listShops(orgId).then((page) => page.data, toError))),
  );

  // One catalog read per shop (all pages of GET /products?shop_id=…), indexed by p1_id.
  const catalogByShop = new DataLoader<ShopKey, Map<string, RestProduct>, string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          readAllPages((page) => pharmaone.listProducts(key.orgId, { shop_id: key.shopId, ...page })).then(
            (products) => new Map(products.map((product) => [product.p1_id, product])),
            toError,
          ),
        ),
      ),
    { cacheKeyFn: shopKey },
  );

  // One inventory read per shop (all pages of GET /inventory?shop_id=…), indexed by p1_id.
  const inventoryByShop = new DataLoader<ShopKey, Map<string, RestInventoryItem>, string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          readAllPages((page) => pharmaone.listInventory(key.orgId, { shop_id: key.shopId, ...page })).then(
            (items) => new Map(items.map((item) => [item.p1_id, item])),
            toError,
          ),
        ),
      ),
    { cacheKeyFn: shopKey },
  );

  const dashboard = new DataLoader<string, Awaited<ReturnType<PharmaOneClient['getDashboard']>>['data']>((orgIds) =>
    Promise.all(orgIds.map((orgId) => pharmaone.getDashboard(orgId).then((res) => res.data, toError))),
  );

  return {
    orderDetail,
    shopsByOrg,
    catalogByShop,
    inventoryByShop,
    dashboard,
    /** The org's shop with this id, tagged with its org, or null. */
    async shop(orgId: string, shopId: string): Promise<InOrg<RestShop> | null> {
      const shop = (await shopsByOrg.load(orgId)).find((candidate) => candidate.id === shopId);
      return shop ? { ...shop, orgId } : null;
    },
    /** The shop's catalog entry for a p1_id, tagged with its org, or null. */
    async product(orgId: string, shopId: string, p1Id: string): Promise<InOrg<RestProduct> | null> {
      const product = (await catalogByShop.load({ orgId, shopId })).get(p1Id);
      return product ? { ...product, orgId } : null;
    },
    /** The shop's stock row for a p1_id, tagged with its org, or null. */
    async stock(orgId: string, shopId: string, p1Id: string): Promise<InOrg<RestInventoryItem> | null> {
      const row = (await inventoryByShop.load({ orgId, shopId })).get(p1Id);
      return row ? { ...row, orgId } : null;
    },
    /**
     * After a write, forget what it may have changed, so later fields of the same operation read
     * fresh data: the order, the shop's stock (reservations) and the org's reports.
     */
    forgetWrite(orgId: string, change: { orderId?: string | undefined; shopId?: string | undefined }): void {
      if (change.orderId !== undefined) orderDetail.clear({ orgId, orderId: change.orderId });
      if (change.shopId !== undefined) inventoryByShop.clear({ orgId, shopId: change.shopId });
      dashboard.clear(orgId);
    },
  };
}

/** Reads the first page, then every remaining page at once (the first tells the total). */
async function readAllPages<T>(
  fetchPage: (page: { limit: number; offset: number }) => Promise<{ data: T[]; pagination: { total: number } }>,
): Promise<T[]> {
  const first = await fetchPage({ limit: MAX_PAGE, offset: 0 });
  const offsets: number[] = [];
  for (let offset = first.data.length; offset < first.pagination.total && first.data.length > 0; offset += MAX_PAGE) {
    offsets.push(offset);
  }
  const rest = await Promise.all(offsets.map((offset) => fetchPage({ limit: MAX_PAGE, offset })));
  return [first, ...rest].flatMap((page) => page.data);
}

function shopKey(key: ShopKey): string {
  return `${key.orgId}\n${key.shopId}`;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
