// Seeded orders: items from the shop's catalog (about one in ten off-catalog, p1_id ""),
// totals = items + shipping in cents, and a status that fits the order's age — old orders are
// mostly completed and paid, the last days' are still moving through packing.
import type { Order, OrderItem, OrderStatus, PaymentStatus, Product } from '../model.ts';
import { alphanumeric, chance, intBetween, pick, type Random } from '../prng.ts';
import { idDate, microsToIso, type Micros } from '../timestamps.ts';
import { OFF_CATALOG_ITEMS } from './catalog.ts';
import type { Customer } from './seed-customers.ts';
import { DAY, HOUR, laterMoment, MINUTE, SEED_CUTOFF, weighted } from './timeline.ts';

/** Shipping as the seed's totals imply it: delivery costs 2.00, pickup ("Abholung") nothing. */
export const SHIPPING_OPTIONS = {
  Versand: 200,
  Abholung: 0,
} as const;

export interface ShopOrderSource {
  shopId: string;
  customers: readonly Customer[];
  products: readonly Product[];
}

export interface OrderSlot {
  createdAt: Micros;
  shop: ShopOrderSource;
}

/** Builds one order per slot; slots are ascending in time, the result is newest first. */
export function seedOrders(random: Random, slots: readonly OrderSlot[]): Order[] {
  const ordersPerShop = new Map<string, number>();
  const usedIds = new Set<string>();
  const orders = slots.map((slot) => {
    const nth = ordersPerShop.get(slot.shop.shopId) ?? 0;
    ordersPerShop.set(slot.shop.shopId, nth + 1);
    // Walk the pool once before choosing at random, so every customer has at least one order.
    const customer = nth < slot.shop.customers.length ? slot.shop.customers[nth] : pick(random, slot.shop.customers);
    return seedOrder(random, slot, customer as Customer, usedIds);
  });
  return orders.reverse();
}

function seedOrder(random: Random, slot: OrderSlot, customer: Customer, usedIds: Set<string>): Order {
  const createdAt = microsToIso(slot.createdAt);
  let id: string;
  do id = `ORD_${idDate(createdAt)}_${alphanumeric(random, 10)}`;
  while (usedIds.has(id));
  usedIds.add(id);

  const items = seedItems(random, slot.shop.products);
  const shippingOption = chance(random, 0.65) ? 'Versand' : 'Abholung';
  const itemsCents = items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0);
  const status = statusForAge(random, SEED_CUTOFF - slot.createdAt, shippingOption === 'Abholung');
  return {
    id,
    shopId: slot.shop.shopId,
    customerName: customer.name,
    customerEmail: customer.email,
    status,
    paymentStatus: paymentFor(random, status),
    totalCents: itemsCents + SHIPPING_OPTIONS[shippingOption],
    items,
    shippingAddress: { ...customer.address },
    shippingOption,
    createdAt,
    updatedAt: microsToIso(updatedAfter(random, slot.createdAt, status)),
  };
}

function seedItems(random: Random, products: readonly Product[]): OrderItem[] {
  const sellable = products.filter((product) => product.active);
  const count = weighted(random, [
    [1, 55],
    [2, 30],
    [3, 12],
    [4, 3],
  ] as const);
  const items: OrderItem[] = [];
  const seen = new Set<string>();
  while (items.length < count) {
    if (chance(random, 0.1)) {
      const offCatalog = pick(random, OFF_CATALOG_ITEMS);
      if (seen.has(offCatalog.name)) continue;
      seen.add(offCatalog.name);
      // Imported flowers sell by the gram; compounded preparations one at a time.
      const quantity = offCatalog.priceCents < 2000 ? intBetween(random, 1, 15) : 1;
      items.push({ name: offCatalog.name, quantity, priceCents: offCatalog.priceCents, p1Id: '' });
      continue;
    }
    const product = pick(random, sellable);
    if (seen.has(product.name)) continue;
    seen.add(product.name);
    const quantity = product.unit === 'g' ? pick(random, [1, 2, 3, 5, 5, 10, 10, 15, 20]) : intBetween(random, 1, 3);
    items.push({ name: product.name, quantity, priceCents: product.priceCents, p1Id: product.p1Id });
  }
  return items;
}

function statusForAge(random: Random, age: Micros, pickup: boolean): OrderStatus {
  const dispatched: OrderStatus = pickup ? 'ready_for_pickup' : 'shipped';
  if (age < DAY) {
    return weighted(random, [
      ['pending', 50],
      ['awaiting_packing', 35],
      ['packed', 10],
      ['cancelled', 5],
    ] as const);
  }
  if (age < 3 * DAY) {
    return weighted(random, [
      ['pending', 15],
      ['awaiting_packing', 30],
      ['packed', 25],
      [dispatched, 25],
      ['cancelled', 5],
    ] as const);
  }
  if (age < 10 * DAY) {
    return weighted(random, [
      ['packed', 5],
      [dispatched, 35],
      ['completed', 55],
      ['cancelled', 5],
    ] as const);
  }
  // A few very old orders were simply never finished; real shops have those too.
  return weighted(random, [
    ['completed', 92],
    ['cancelled', 6],
    [dispatched, 1],
    ['pending', 1],
  ] as const);
}

function paymentFor(random: Random, status: OrderStatus): PaymentStatus {
  switch (status) {
    case 'completed':
      return weighted(random, [
        ['paid', 97],
        ['refunded', 3],
      ] as const);
    case 'cancelled':
      return weighted(random, [
        ['refunded', 45],
        ['failed', 35],
        ['pending', 20],
      ] as const);
    case 'pending':
      return weighted(random, [
        ['pending', 80],
        ['paid', 10],
        ['failed', 10],
      ] as const);
    default:
      return weighted(random, [
        ['paid', 85],
        ['pending', 15],
      ] as const);
  }
}

function updatedAfter(random: Random, created: Micros, status: OrderStatus): Micros {
  switch (status) {
    case 'pending':
      return laterMoment(random, created, 0, 10 * MINUTE);
    case 'awaiting_packing':
    case 'packed':
      return laterMoment(random, created, 10 * MINUTE, 6 * HOUR);
    case 'shipped':
    case 'ready_for_pickup':
      return laterMoment(random, created, 6 * HOUR, 3 * DAY);
    case 'completed':
      return laterMoment(random, created, DAY, 7 * DAY);
    case 'cancelled':
      return laterMoment(random, created, 5 * MINUTE, 2 * DAY);
  }
}
