// Issue 10, class 5: an idempotency record keeps the minimal outcome of a write, whatever
// PharmaOne answered. Each mutation's kept outcome, built from a hostile, huge answer full of
// personal data, is small and holds none of it; a replayed prescription gets its personal fields
// back from the (identical) input.
import { describe, expect, it } from 'vitest';
import { must } from '../support/must.ts';
import { keepOrder, keepOrderRequest, keepPrescription, replayPrescription } from '../../src/writes/minimal-outcomes.ts';
import type { RestOrder, RestOrderRequest, RestPrescription } from '../../src/upstream/rest-types.ts';

const PII = ['Erika Musterfrau', 'erika@example.com', 'Musterstr. 1', '+49 30 123456', 'Dr. Beispiel'];
const huge = 'A'.repeat(100_000);

const order = {
  id: 'ORD_20260614_8v039dhnrv',
  shop_id: 'shop1',
  customer_name: PII[0],
  customer_email: PII[1],
  status: 'pending',
  payment_status: 'paid',
  total_amount: 98.25,
  items: Array.from({ length: 2_000 }, (_, index) => ({ name: `${PII[0]} item ${index}`, quantity: 1, price: 1, p1_id: '' })),
  shipping_address: { street: PII[2], city: 'Berlin', postal_code: '10115', phone: PII[3] },
  created_at: '2026-06-14T10:00:00Z',
  updated_at: '2026-06-14T10:00:00Z',
  surprise: huge,
} as unknown as RestOrder;

const orderRequest = {
  id: 'REQ_20260614_q2w3e4r5t6',
  status: 'received',
  order_id: 'ORD_20260614_8v039dhnrv',
  shop_id: 'shop1',
  created_at: '2026-06-14T10:00:00Z',
  echo: { customer_name: PII[0], customer_email: PII[1], items: order.items },
} as unknown as RestOrderRequest;

const prescription = {
  id: 'RX_20260614_a1b2c3d4e5',
  shop_id: 'shop1',
  status: 'pending',
  patient_name: PII[0],
  patient_email: PII[1],
  doctor_name: PII[4],
  external_reference: 'TM-RX-1',
  order_id: null,
  items: [{ name: 'Cannabis flos 27/1', quantity: 5, dosage: '0.5 g' }],
  created_at: '2026-06-14T10:00:00Z',
  updated_at: '2026-06-14T10:00:00Z',
  notes: huge,
} as unknown as RestPrescription;

describe('the minimal outcome an idempotency record keeps', () => {
  it.each<[string, unknown]>([
    ['updateOrderStatus (a 2,000-line order)', keepOrder(order)],
    ['submitOrderRequest / submitExternalOrder (an answer echoing the order)', keepOrderRequest(orderRequest)],
    ['ingestPrescription (patient and doctor data)', keepPrescription(prescription)],
  ])('%s: under 512 bytes and without personal data', (_, kept) => {
    const json = JSON.stringify(kept);
    expect(json.length).toBeLessThan(512);
    for (const value of PII) expect(json).not.toContain(value);
  });

  it('bounds every kept id, even when PharmaOne sends a 100 KB one', () => {
    const kept = keepOrderRequest({ ...orderRequest, id: huge, order_id: huge, status: huge, created_at: huge });
    expect(JSON.stringify(kept).length).toBeLessThan(2_000);
  });

  it('replays a prescription with its personal fields from the identical input', () => {
    const replayed = replayPrescription(keepPrescription(prescription), {
      shopId: 'shop1',
      externalReference: 'TM-RX-1',
      patient: { name: must(PII[0], 'the patient name'), email: PII[1], dateOfBirth: undefined },
      doctorName: must(PII[4], 'the doctor name'),
      issuedAt: '2026-06-14',
      items: [{ productName: 'Cannabis flos 27/1', quantity: 5, dosage: '0.5 g' }],
    });
    const { notes: _notes, ...expected } = prescription as RestPrescription & { notes: string };
    expect(replayed).toEqual(expected);
  });
});
