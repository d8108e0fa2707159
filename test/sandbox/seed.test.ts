import { describe, expect, it } from 'vitest';
import { seedWorld } from '../../src/sandbox/data/seed.ts';
import { must } from '../support/must.ts';

describe('seeded data', () => {
  it('is the same on every start', () => {
    expect(seedWorld()).toEqual(seedWorld());
  });

  it('gives shop1 exactly the 32 distinct customers the seed dashboard shows', () => {
    const org1 = must(seedWorld().get('org1'), 'org1 in the seed');
    const shop1Emails = new Set(org1.orders.filter((order) => order.shopId === 'shop1').map((order) => order.customerEmail));

    expect(shop1Emails.size).toBe(32);
    expect(shop1Emails).toContain('max@example.com');
  });

  it('keeps every stock line consistent: reserved never exceeds quantity', () => {
    for (const org of seedWorld().values()) {
      for (const item of org.inventory) {
        expect(item.reserved).toBeGreaterThanOrEqual(0);
        expect(item.reserved).toBeLessThanOrEqual(item.quantity);
      }
    }
  });

  it('uses German-looking anonymized customers', () => {
    const order = must(seedWorld().get('org2')?.orders[0], "org2's first order");

    expect(order.customerEmail).toMatch(/^[a-z.]+@example\.com$/);
    expect(order.shippingAddress?.phone).toMatch(/^\+49\d{11}$/);
    expect(order.shippingAddress?.postalCode).toMatch(/^\d{5}$/);
  });
});
