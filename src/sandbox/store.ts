// The sandbox's in-memory state: the seeded orgs plus whatever clients wrote since the last
// reset. Lists stay newest first; new records are stamped with a clock that never runs
// backwards and never falls behind the seed, so a new order is always the newest one.
import { randomInt } from 'node:crypto';
import { seedWorld } from './data/seed.ts';
import { SEED_CUTOFF } from './data/timeline.ts';
import type { Order, OrderRequest, OrgData, Prescription, Shop } from './model.ts';
import { idDate, microsToIso } from './timestamps.ts';

export interface Store {
  org(orgId: string): OrgData | undefined;
  /** A shop and its org, whichever org it belongs to (the shop proxies are addressed by shop). */
  shop(shopId: string): { shop: Shop; org: OrgData } | undefined;
  order(org: OrgData, orderId: string): Order | undefined;
  orderRequests(org: OrgData): readonly OrderRequest[];
  /** A timestamp for a new or updated record: now, but strictly after every earlier one. */
  stamp(): string;
  /** "ORD_20260614_8v039dhnrv"-style id, dated like `createdAt`. */
  newId(prefix: 'ORD' | 'REQ' | 'RX', createdAt: string): string;
  addOrder(org: OrgData, order: Order): void;
  addOrderRequest(org: OrgData, request: OrderRequest): void;
  addPrescription(org: OrgData, prescription: Prescription): void;
  /** Back to the seeded data. */
  reset(): void;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function createStore(clock: () => number): Store {
  let orgs = new Map<string, OrgData>();
  let ordersById = new Map<string, Map<string, Order>>();
  let requests = new Map<string, OrderRequest[]>();
  let lastStamp = SEED_CUTOFF;

  function load(): void {
    orgs = seedWorld();
    ordersById = new Map([...orgs].map(([orgId, org]) => [orgId, new Map(org.orders.map((order) => [order.id, order]))]));
    requests = new Map();
    lastStamp = SEED_CUTOFF;
  }
  load();

  return {
    org: (orgId) => orgs.get(orgId),
    shop(shopId) {
      for (const org of orgs.values()) {
        const shop = org.shops.find((candidate) => candidate.id === shopId);
        if (shop) return { shop, org };
      }
      return undefined;
    },
    order: (org, orderId) => ordersById.get(org.id)?.get(orderId),
    orderRequests: (org) => requests.get(org.id) ?? [],
    stamp() {
      lastStamp = Math.max(Math.floor(clock()) * 1000, lastStamp + 1);
      return microsToIso(lastStamp);
    },
    newId(prefix, createdAt) {
      let suffix = '';
      for (let i = 0; i < 10; i++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
      return `${prefix}_${idDate(createdAt)}_${suffix}`;
    },
    addOrder(org, order) {
      org.orders.unshift(order);
      ordersById.get(org.id)?.set(order.id, order);
    },
    addOrderRequest(org, request) {
      requests.set(org.id, [request, ...(requests.get(org.id) ?? [])]);
    },
    addPrescription(org, prescription) {
      org.prescriptions.unshift(prescription);
    },
    reset: load,
  };
}
