// A replay rebuilds the full payload from the minimal outcome it kept (issue 10, class 5), and the
// client cannot tell: a status change is answered by re-reading the order (GET, never a second
// PATCH), a prescription from its kept ids plus the identical input (no second POST).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
  await stack.gql('{ org(id: "org1") { shops { id } } }');
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.clear());

const STATUS = `mutation Status($input: UpdateOrderStatusInput!) {
  updateOrderStatus(input: $input) { order { id status customerEmail items { name quantity } } userErrors { code } }
}`;
const INGEST = `mutation Ingest($input: IngestPrescriptionInput!) {
  ingestPrescription(input: $input) {
    prescription { id status shopId patientName patientEmail doctorName externalReference items { name quantity dosage } }
    userErrors { code }
  }
}`;

describe('replaying a kept outcome', () => {
  it('updateOrderStatus: the same order, re-read with one GET, no second PATCH', async () => {
    const list = await stack.gql<{ org: OrderIds }>(
      '{ org(id: "org1") { orders(first: 1, filter: { status: PENDING }) { nodes { id } } } }',
    );
    const orderId = must(dataOf(list).org.orders.nodes[0], 'a pending order').id;
    const input = { orgId: 'org1', orderId, status: 'AWAITING_PACKING', idempotencyKey: randomUUID() };
    stack.sandbox.calls.clear();

    const first = await stack.gql<{ updateOrderStatus: { order: unknown } }>(STATUS, { input });
    const replayed = await stack.gql<{ updateOrderStatus: unknown }>(STATUS, { input });

    expect(dataOf(first).updateOrderStatus.order).toMatchObject({ id: orderId, status: 'AWAITING_PACKING' });
    expect(dataOf(replayed).updateOrderStatus).toEqual(dataOf(first).updateOrderStatus);
    expect(restCalls(stack.sandbox)).toEqual([`PATCH /orders/${orderId}/status`, `GET /orders/${orderId}`]);
  });

  it('ingestPrescription: the same prescription, personal fields from the identical input, no second call', async () => {
    const input = {
      orgId: 'org1',
      shopId: 'shop1',
      externalReference: `TM-RX-${randomUUID().slice(0, 8)}`,
      patient: { name: 'Erika Musterfrau', email: 'erika@example.com' },
      doctorName: 'Dr. Beispiel',
      issuedAt: '2026-06-14',
      items: [{ productName: 'Cannabis flos 27/1', quantity: 5, dosage: '0.5 g twice daily' }],
      idempotencyKey: randomUUID(),
    };

    const first = await stack.gql<{ ingestPrescription: { userErrors: unknown[] } }>(INGEST, { input });
    const writesAfterFirst = restCalls(stack.sandbox);
    const replayed = await stack.gql<{ ingestPrescription: unknown }>(INGEST, { input });

    expect(dataOf(first).ingestPrescription.userErrors).toEqual([]);
    expect(dataOf(replayed).ingestPrescription).toEqual(dataOf(first).ingestPrescription);
    // The replay's only call is the shop check every write makes first; no second POST.
    expect(restCalls(stack.sandbox)).toEqual([...writesAfterFirst, 'GET /shops']);
    expect(writesAfterFirst.filter((call) => call === 'POST /prescriptions')).toHaveLength(1);
  });
});
