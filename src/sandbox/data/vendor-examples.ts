// The vendor's two example orders (seed page §3/§4), reproduced verbatim as org1's two newest
// orders so the seed's JSON can be compared against the sandbox field for field.
// ORD_20260614_8v039dhnrv is exactly the seed's §4 object: 11 × 8.75 + 2.00 delivery = 98.25.
// The seed shows no detail for ORD_20260613_LmOSX158ce; its items are ours, chosen to add up to
// the seed's total of 34.25 (5 × 5.10 + 6.75 + 2.00 delivery).
import type { Order, Product } from '../model.ts';
import { MAX_MUSTERMANN } from './seed-customers.ts';

export const VENDOR_EXAMPLE_ORDER_IDS = ['ORD_20260614_8v039dhnrv', 'ORD_20260613_LmOSX158ce'] as const;

/** Catalog items the second example orders; shop1 must carry them. */
export const VENDOR_EXAMPLE_PRODUCTS = ['Cannabis flos 27/1', 'Ibuprofen 400mg 20 St.'] as const;

/** Newest first, like the seed's §3 list. */
export function vendorExampleOrders(shop1Products: readonly Product[]): Order[] {
  const p1IdOf = (name: string): string => {
    const product = shop1Products.find((candidate) => candidate.name === name);
    if (!product) throw new Error(`shop1 catalog lacks ${name}`);
    return product.p1Id;
  };
  return [
    {
      id: 'ORD_20260614_8v039dhnrv',
      shopId: 'shop1',
      customerName: MAX_MUSTERMANN.name,
      customerEmail: MAX_MUSTERMANN.email,
      status: 'awaiting_packing',
      paymentStatus: 'pending',
      totalCents: 9825,
      items: [{ name: '24/1 IUVO KC OJ Zainbow', quantity: 11, priceCents: 875, p1Id: '' }],
      shippingAddress: { ...MAX_MUSTERMANN.address },
      shippingOption: 'Versand',
      createdAt: '2026-06-14T10:05:55.806759Z',
      updatedAt: '2026-06-14T11:43:41.851771Z',
    },
    {
      id: 'ORD_20260613_LmOSX158ce',
      shopId: 'shop1',
      customerName: MAX_MUSTERMANN.name,
      customerEmail: MAX_MUSTERMANN.email,
      status: 'pending',
      paymentStatus: 'pending',
      totalCents: 3425,
      items: [
        { name: 'Cannabis flos 27/1', quantity: 5, priceCents: 510, p1Id: p1IdOf('Cannabis flos 27/1') },
        { name: 'Ibuprofen 400mg 20 St.', quantity: 1, priceCents: 675, p1Id: p1IdOf('Ibuprofen 400mg 20 St.') },
      ],
      shippingAddress: { ...MAX_MUSTERMANN.address },
      shippingOption: 'Versand',
      createdAt: '2026-06-13T06:18:21.998356Z',
      updatedAt: '2026-06-13T06:18:52.592746Z',
    },
  ];
}
