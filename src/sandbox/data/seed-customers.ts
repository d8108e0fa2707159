// Per-shop customer pools. The dashboard's unique_customers counts distinct e-mails, and the
// seed shows 32 for shop1, so every member of a pool is used at least once (seed-orders.ts).
import type { ShippingAddress } from '../model.ts';
import { intBetween, pick, type Random } from '../prng.ts';
import { CITIES, emailLocalPart, FIRST_NAMES, LAST_NAMES, STREETS } from './people.ts';

export interface Customer {
  name: string;
  email: string;
  address: ShippingAddress;
}

/** The seed's own anonymized customer, who placed both of its example orders. */
export const MAX_MUSTERMANN: Customer = {
  name: 'Max Mustermann',
  email: 'max@example.com',
  address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115', phone: '+49123456789' },
};

const MOBILE_PREFIXES = ['151', '152', '157', '160', '162', '170', '171', '172', '175', '176', '178', '179'];

export function germanMobile(random: Random): string {
  let digits = '';
  for (let i = 0; i < 8; i++) digits += String(intBetween(random, 0, 9));
  return `+49${pick(random, MOBILE_PREFIXES)}${digits}`;
}

export function randomPerson(random: Random): { firstName: string; lastName: string } {
  return { firstName: pick(random, FIRST_NAMES), lastName: pick(random, LAST_NAMES) };
}

export function customerPool(random: Random, size: number, regulars: readonly Customer[] = []): Customer[] {
  const pool = [...regulars];
  const taken = new Set(pool.map((customer) => customer.name));
  while (pool.length < size) {
    const { firstName, lastName } = randomPerson(random);
    const name = `${firstName} ${lastName}`;
    if (taken.has(name)) continue;
    taken.add(name);
    const place = pick(random, CITIES);
    pool.push({
      name,
      email: `${emailLocalPart(firstName, lastName)}@example.com`,
      address: {
        street: `${pick(random, STREETS)} ${intBetween(random, 1, 120)}`,
        city: place.city,
        postalCode: place.postalCode,
        phone: germanMobile(random),
      },
    });
  }
  return pool;
}
