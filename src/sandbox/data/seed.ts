// The sandbox's seeded world, rebuilt identically on every start and every reset().
// org1 reproduces the scale of the vendor's dev org as the seed page shows it: 731 orders
// (shop1 696, shop2 35), 34 of them in June 2026, 32 distinct shop1 customers, and 961
// prescriptions in the seed dashboard's status mix. org2 is a small second tenant.
import type { OrgData, Shop } from '../model.ts';
import { mulberry32, shuffled, type Random } from '../prng.ts';
import { isoToMicros } from '../timestamps.ts';
import { seedInventory, seedProducts } from './seed-catalog.ts';
import { customerPool, MAX_MUSTERMANN } from './seed-customers.ts';
import { seedOrders, type OrderSlot, type ShopOrderSource } from './seed-orders.ts';
import { seedPrescriptions } from './seed-prescriptions.ts';
import { JUNE_START, momentsBetween, SEED_CUTOFF, SEED_START } from './timeline.ts';
import { VENDOR_EXAMPLE_ORDER_IDS, VENDOR_EXAMPLE_PRODUCTS, vendorExampleOrders } from './vendor-examples.ts';

export const SEEDED_SHOPS: readonly Shop[] = [
  { id: 'shop1', orgId: 'org1', name: 'Demo Shop DEV', active: true },
  { id: 'shop2', orgId: 'org1', name: 'Stadt-Apotheke Demo', active: true },
  { id: 'shop3', orgId: 'org2', name: 'Nordlicht Apotheke Demo', active: true },
];

/** One independent random stream per concern, so changing one part leaves the rest as it was. */
function stream(name: string): Random {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return mulberry32(hash);
}

function shopsOf(orgId: string): Shop[] {
  return SEEDED_SHOPS.filter((shop) => shop.orgId === orgId).map((shop) => ({ ...shop }));
}

function seedOrg1(): OrgData {
  const shop1Products = seedProducts(stream('shop1:catalog'), {
    shopId: 'shop1',
    size: 72,
    mustCarry: VENDOR_EXAMPLE_PRODUCTS,
    listPrices: true,
  });
  const shop2Products = seedProducts(stream('shop2:catalog'), { shopId: 'shop2', size: 48 });
  const shop1: ShopOrderSource = {
    shopId: 'shop1',
    // Max Mustermann (the vendor examples' customer) is one of shop1's 32.
    customers: customerPool(stream('shop1:customers'), 32, [MAX_MUSTERMANN]).slice(1).concat(MAX_MUSTERMANN),
    products: shop1Products,
  };
  const shop2: ShopOrderSource = { shopId: 'shop2', customers: customerPool(stream('shop2:customers'), 20), products: shop2Products };

  // 729 generated orders + the vendor's 2 = 731; 32 + 2 in June = the seed's 34.
  const timing = stream('org1:order-times');
  const secondExample = isoToMicros('2026-06-13T06:18:21.998356Z');
  const moments = [...momentsBetween(timing, 697, SEED_START, JUNE_START), ...momentsBetween(timing, 32, JUNE_START, secondExample)];
  const shop2Slots = new Set(
    shuffled(
      stream('org1:order-shops'),
      moments.map((_, index) => index),
    ).slice(0, 35),
  );
  const slots: OrderSlot[] = moments.map((createdAt, index) => ({ createdAt, shop: shop2Slots.has(index) ? shop2 : shop1 }));
  const orders = [...vendorExampleOrders(shop1Products), ...seedOrders(stream('org1:orders'), slots)];
  if (orders[0]?.id !== VENDOR_EXAMPLE_ORDER_IDS[0]) throw new Error('vendor examples must be the newest orders');

  const rxRandom = stream('org1:prescriptions');
  const prescriptions = seedPrescriptions(rxRandom, {
    statusCounts: { pending: 174, approved: 40, completed: 730, declined: 17 },
    moments: momentsBetween(rxRandom, 961, SEED_START, SEED_CUTOFF),
    shopIdFor: (random) => (random() < 0.92 ? 'shop1' : 'shop2'),
    orders,
    referencePrefix: 'TM-RX-2026-',
    linkShare: 0.4,
  });

  return {
    id: 'org1',
    shops: shopsOf('org1'),
    orders,
    prescriptions,
    products: [...shop1Products, ...shop2Products],
    inventory: [...seedInventory(stream('shop1:inventory'), shop1Products), ...seedInventory(stream('shop2:inventory'), shop2Products)],
  };
}

function seedOrg2(): OrgData {
  const products = seedProducts(stream('shop3:catalog'), { shopId: 'shop3', size: 45 });
  const shop3: ShopOrderSource = { shopId: 'shop3', customers: customerPool(stream('shop3:customers'), 24), products };
  const moments = momentsBetween(stream('org2:order-times'), 100, SEED_START, SEED_CUTOFF);
  const orders = seedOrders(
    stream('org2:orders'),
    moments.map((createdAt) => ({ createdAt, shop: shop3 })),
  );
  const rxRandom = stream('org2:prescriptions');
  const prescriptions = seedPrescriptions(rxRandom, {
    statusCounts: { pending: 6, approved: 3, completed: 25, declined: 2 },
    moments: momentsBetween(rxRandom, 36, SEED_START, SEED_CUTOFF),
    shopIdFor: () => 'shop3',
    orders,
    referencePrefix: 'ERX-2026-',
    linkShare: 0.4,
  });
  return {
    id: 'org2',
    shops: shopsOf('org2'),
    orders,
    prescriptions,
    products,
    inventory: seedInventory(stream('shop3:inventory'), products),
  };
}

/** A fresh copy of the seeded world; callers may mutate it freely. */
export function seedWorld(): Map<string, OrgData> {
  return new Map([
    ['org1', seedOrg1()],
    ['org2', seedOrg2()],
  ]);
}
