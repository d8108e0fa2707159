// Per-request DataLoaders (built in the GraphQL context, never shared between requests, so no
// caller ever sees another's data). Each loader states the REST calls it makes. A "read all
// pages" lookup reads at most UPSTREAM_MAX_PAGES_PER_READ pages, whatever `pagination.total`
// PharmaOne claims, one page after another (each page counts against the operation's budget).
import DataLoader from 'dataloader';
import type { Page, PharmaOneClient } from '../upstream/pharmaone-client.ts';
import { UpstreamUnavailableError } from '../upstream/upstream-errors.ts';
import { DEFAULT_UPSTREAM_LIMITS } from '../upstream/upstream-limits.ts';
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

export interface LoaderOptions {
  detailConcurrency: number;
  onBatch?: ((loader: string, size: number) => void) | undefined;
  /** UPSTREAM_MAX_PAGES_PER_READ. */
  maxPagesPerRead?: number | undefined;
}

export function createLoaders(pharmaone: PharmaOneClient, options: LoaderOptions) {
  const maxPages = options.maxPagesPerRead ?? DEFAULT_UPSTREAM_LIMITS.maxPagesPerRead;
  /** Reports each batch's size (metrics), then runs it. */
  const observed =
    <K, V>(loader: string, batch: (keys: readonly K[]) => Promise<Array<V | Error>>) =>
    (keys: readonly K[]) => {
      options.onBatch?.(loader, keys.length);
      return batch(keys);
    };

  // There is no batch endpoint for orders: one GET /orders/{id} per distinct id, in parallel, capped.
  const orderDetail = new DataLoader<OrderKey, RestOrder, string>(
    observed('orderDetail', (keys) =>
      mapWithConcurrency(keys, options.detailConcurrency, (key) => pharmaone.getOrder(key.orgId, key.orderId)),
    ),
    { cacheKeyFn: (key) => `${key.orgId}\n${key.orderId}` },
  );

  // One GET /shops per org per request, however many shops or orders ask.
  const shopsByOrg = new DataLoader<string, RestShop[]>(
    observed('shopsByOrg', (orgIds) => Promise.all(orgIds.map((orgId) => pharmaone.listShops(orgId).then((page) => page.data, toError)))),
  );

  /** One read of a per-shop list (all pages, up to the cap), indexed by p1_id, per shop per request. */
  const perShopByP1Id = <T extends { p1_id: string }>(
    name: string,
    fetchPage: (key: ShopKey, page: { limit: number; offset: number }) => Promise<Page<T>>,
  ) =>
    new DataLoader<ShopKey, ShopRows<T>, string>(
      observed(name, (keys: readonly ShopKey[]) =>
        Promise.all(
          keys.map((key) =>
            readAllPages((page) => fetchPage(key, page), maxPages).then(
              ({ rows, complete }) => ({ byP1Id: new Map(rows.map((row) => [row.p1_id, row])), complete, route: name }),
              toError,
            ),
          ),
        ),
      ),
      { cacheKeyFn: shopKey },
    );

  // GET /products?shop_id=… (the shop's catalog) and GET /inventory?shop_id=… (its stock).
  const catalogByShop = perShopByP1Id<RestProduct>('catalogByShop', (key, page) =>
    pharmaone.listProducts(key.orgId, { shop_id: key.shopId, ...page }),
  );
  const inventoryByShop = perShopByP1Id<RestInventoryItem>('inventoryByShop', (key, page) =>
    pharmaone.listInventory(key.orgId, { shop_id: key.shopId, ...page }),
  );

  const dashboard = new DataLoader<string, Awaited<ReturnType<PharmaOneClient['getDashboardStats']>>['data']>(
    observed('dashboard', (orgIds) =>
      Promise.all(orgIds.map((orgId) => pharmaone.getDashboardStats(orgId).then((res) => res.data, toError))),
    ),
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
      const product = found(await catalogByShop.load({ orgId, shopId }), p1Id);
      return product ? { ...product, orgId } : null;
    },
    /** The shop's stock row for a p1_id, tagged with its org, or null. */
    async stock(orgId: string, shopId: string, p1Id: string): Promise<InOrg<RestInventoryItem> | null> {
      const row = found(await inventoryByShop.load({ orgId, shopId }), p1Id);
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

/** A shop's list read for lookups: its rows by p1_id, and whether every page was read. */
interface ShopRows<T> {
  byP1Id: Map<string, T>;
  complete: boolean;
  route: string;
}

/**
 * A row by p1_id. A miss in a read cut at the page cap proves nothing, so it is reported as
 * PharmaOne's list being too large rather than answered as "no such row".
 */
function found<T>(rows: ShopRows<T>, p1Id: string): T | null {
  const row = rows.byP1Id.get(p1Id);
  if (row !== undefined) return row;
  if (!rows.complete) throw new UpstreamUnavailableError({ route: rows.route, reason: 'too_large', mayHaveArrived: false });
  return null;
}

/**
 * Reads the first page, then the remaining ones (the first tells the total) in parallel, never
 * more than `maxPages` pages in all and never past the rows the first page's total announced.
 */
async function readAllPages<T>(
  fetchPage: (page: { limit: number; offset: number }) => Promise<{ data: T[]; pagination: { total: number } }>,
  maxPages: number,
): Promise<{ rows: T[]; complete: boolean }> {
  const first = await fetchPage({ limit: MAX_PAGE, offset: 0 });
  const total = Number.isFinite(first.pagination.total) ? first.pagination.total : 0;
  const offsets: number[] = [];
  for (let offset = first.data.length; offset < total && first.data.length > 0 && offsets.length + 1 < maxPages; offset += MAX_PAGE) {
    offsets.push(offset);
  }
  const rest = await Promise.all(offsets.map((offset) => fetchPage({ limit: MAX_PAGE, offset })));
  const rows = [first, ...rest].flatMap((page) => page.data);
  return { rows, complete: rows.length >= total || first.data.length === 0 };
}

function shopKey(key: ShopKey): string {
  return `${key.orgId}\n${key.shopId}`;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
