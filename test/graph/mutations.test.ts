// Mutations end to end: the exact upstream write (method, path, auth kind, body) from the sandbox's
// call log, and the sandbox's state afterwards, read back through the graph.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { passThroughScopeId } from '../../src/auth/caller.ts';
import { upstreamIdempotencyKey } from '../../src/writes/idempotency-store.ts';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, restCalls, startStack } from '../support/gateway.ts';
import { orderInput, prescriptionInput } from '../support/write-inputs.ts';
import { must } from '../support/must.ts';
import type { Sandbox, TestStack } from '../support/gateway.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
  await stack.gql('{ org(id: "org1") { id } }');
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
});

/** Upstream writes (POST/PATCH) the sandbox received, token exchanges aside. */
function writes(sandbox: Sandbox) {
  return sandbox.calls.list().filter((call) => call.method !== 'GET' && !call.path.endsWith('/auth/token'));
}

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}
// The shapes these tests expect back: what each selection asks for, success assumed (the assertions check it).
type OrderIds = { org: { orders: { nodes: Array<{ id: string }> } } };
type OrderStatusRead = { org: { order: { status: string } } };
type StatusData = { updateOrderStatus: { order: { id: string; status: string } | null; userErrors: UserError[] } };
type SubmitData = {
  submitOrderRequest: {
    orderRequest: { id: string; status: string; shopId: string; orderId: string };
    order: { id: string; totalAmount: { amount: string } };
    userErrors: UserError[];
  };
};

async function orderCount(): Promise<number> {
  const res = await stack.gql<{ org: { orders: { totalCount: number } } }>('{ org(id: "org1") { orders(first: 1) { totalCount } } }');
  return dataOf(res).org.orders.totalCount;
}

async function firstOrderId(status: string): Promise<string> {
  const res = await stack.gql<OrderIds>(`{ org(id: "org1") { orders(first: 1, filter: { status: ${status} }) { nodes { id } } } }`);
  return must(dataOf(res).org.orders.nodes[0], `an order in status ${status}`).id;
}

const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) {
    orderRequest { id status shopId orderId }
    order { id status customerName customerEmail totalAmount { amount } items { name quantity unitPrice { amount } lineTotal { amount } } }
    userErrors { field message code }
  }
}`;

const EXTERNAL = `mutation External($input: SubmitExternalOrderInput!) {
  submitExternalOrder(input: $input) {
    orderRequest { id shopId orderId order { id customerName totalAmount { amount } } }
    userErrors { field message code }
  }
}`;

const INGEST = `mutation Ingest($input: IngestPrescriptionInput!) {
  ingestPrescription(input: $input) {
    prescription { id status shopId patientName doctorName externalReference items { name quantity dosage } }
    userErrors { field message code }
  }
}`;

const STATUS = `mutation Status($input: UpdateOrderStatusInput!) {
  updateOrderStatus(input: $input) { order { id status items { name } } userErrors { field message code } }
}`;

const EXPECTED_ORDER_BODY = {
  shop_id: 'shop1',
  external_reference: 'TM-RX-2026-0042',
  source: 'external-telemedicine',
  payload: {
    customer_name: 'Max Mustermann',
    customer_email: 'max@example.com',
    address_street: 'Musterstr. 1',
    address_city: 'Berlin',
    address_postal_code: '10115',
    address_phone: '+49123456789',
    shipping_option: 'Abholung',
    // 5 × 5.10 + 3 × 0.10, in cents: no float drift.
    total_amount: 25.8,
    items: [
      { name: 'Cannabis flos 27/1', quantity: 5, price: 5.1 },
      { name: 'Ibuprofen 400mg 20 St.', quantity: 3, price: 0.1, p1_id: 'P1-000001' },
    ],
  },
};

describe('updateOrderStatus', () => {
  it('patches the status once and returns the changed order without reading it again', async () => {
    const orderId = await firstOrderId('PENDING');
    stack.sandbox.calls.clear();

    const res = await stack.gql<StatusData>(STATUS, { input: { orgId: 'org1', orderId, status: 'AWAITING_PACKING' } });

    expect(dataOf(res).updateOrderStatus).toEqual({
      order: { id: orderId, status: 'AWAITING_PACKING', items: expect.any(Array) },
      userErrors: [],
    });
    expect(writes(stack.sandbox).map(({ method, path, authKind, body }) => ({ method, path, authKind, body }))).toEqual([
      { method: 'PATCH', path: `/api/v2/public/orgs/org1/orders/${orderId}/status`, authKind: 'jwt', body: { status: 'awaiting_packing' } },
    ]);
    expect(restCalls(stack.sandbox)).toEqual([`PATCH /orders/${orderId}/status`]);
    const readBack = await stack.gql<OrderStatusRead>(`{ org(id: "org1") { order(id: "${orderId}") { status } } }`);
    expect(dataOf(readBack).org.order.status).toBe('AWAITING_PACKING');
  });

  it('serves later fields of the same operation the order as the write left it, without reading it again', async () => {
    const orderId = await firstOrderId('PENDING');
    stack.sandbox.calls.clear();

    const res = await stack.gql<{ a: OrderStatusRead['org']; b: OrderStatusRead['org'] }>(`mutation {
      a: updateOrderStatus(input: { orgId: "org1", orderId: "${orderId}", status: AWAITING_PACKING }) { order { status items { name } } }
      b: updateOrderStatus(input: { orgId: "org1", orderId: "${orderId}", status: PACKED }) { order { status updatedAt items { name } } }
    }`);

    expect(dataOf(res).a.order.status).toBe('AWAITING_PACKING');
    expect(dataOf(res).b.order.status).toBe('PACKED');
    expect(restCalls(stack.sandbox)).toEqual([`PATCH /orders/${orderId}/status`, `PATCH /orders/${orderId}/status`]);
  });

  it('reports a disallowed transition as INVALID_TRANSITION and leaves the order as it was', async () => {
    const orderId = await firstOrderId('COMPLETED');
    stack.sandbox.calls.clear();

    const res = await stack.gql<StatusData>(STATUS, { input: { orgId: 'org1', orderId, status: 'CANCELLED' } });

    expect(dataOf(res).updateOrderStatus).toEqual({
      order: null,
      userErrors: [{ field: ['input', 'status'], code: 'INVALID_TRANSITION', message: expect.any(String) }],
    });
    expect(writes(stack.sandbox)).toHaveLength(1);
    const readBack = await stack.gql<OrderStatusRead>(`{ org(id: "org1") { order(id: "${orderId}") { status } } }`);
    expect(dataOf(readBack).org.order.status).toBe('COMPLETED');
  });

  it('reports an unknown order as NOT_FOUND', async () => {
    const res = await stack.gql<StatusData>(STATUS, { input: { orgId: 'org1', orderId: 'ORD_20990101_nope000000', status: 'PACKED' } });
    expect(dataOf(res).updateOrderStatus.userErrors).toEqual([{ field: null, code: 'NOT_FOUND', message: 'Order was not found.' }]);
  });

  it('reports a credential without orders:write as FORBIDDEN', async () => {
    const orderId = await firstOrderId('PENDING');
    const res = await stack.gql<StatusData>(
      STATUS,
      { input: { orgId: 'org1', orderId, status: 'AWAITING_PACKING' } },
      { apikey: ORG1_READONLY_KEY },
    );
    expect(dataOf(res).updateOrderStatus.userErrors).toEqual([
      { field: null, code: 'FORBIDDEN', message: 'The credential lacks the PharmaOne scope "orders:write".' },
    ]);
  });
});

describe('submitOrderRequest', () => {
  it('posts the order request with the JWT (§6) and returns the created order in the same response', async () => {
    const before = await orderCount();
    stack.sandbox.calls.clear();

    const res = await stack.gql<SubmitData>(SUBMIT, { input: orderInput() });

    const payload = dataOf(res).submitOrderRequest;
    expect(payload.userErrors).toEqual([]);
    expect(payload.orderRequest).toEqual({
      id: expect.stringMatching(/^REQ_/),
      status: 'received',
      shopId: 'shop1',
      orderId: expect.stringMatching(/^ORD_/),
    });
    expect(payload.order).toEqual({
      id: payload.orderRequest.orderId,
      status: 'PENDING',
      customerName: 'Max Mustermann',
      customerEmail: 'max@example.com',
      totalAmount: { amount: '25.80' },
      items: [
        { name: 'Cannabis flos 27/1', quantity: 5, unitPrice: { amount: '5.10' }, lineTotal: { amount: '25.50' } },
        { name: 'Ibuprofen 400mg 20 St.', quantity: 3, unitPrice: { amount: '0.10' }, lineTotal: { amount: '0.30' } },
      ],
    });
    expect(
      writes(stack.sandbox).map(({ method, path, authKind, body, idempotencyKey }) => ({ method, path, authKind, body, idempotencyKey })),
    ).toEqual([
      { method: 'POST', path: '/api/v2/public/orgs/org1/order-requests', authKind: 'jwt', body: EXPECTED_ORDER_BODY, idempotencyKey: null },
    ]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops', 'POST /order-requests', `GET /orders/${payload.order.id}`]);
    expect(await orderCount()).toBe(before + 1);
    const newest = await stack.gql<OrderIds>('{ org(id: "org1") { orders(first: 1) { nodes { id } } } }');
    expect(dataOf(newest).org.orders.nodes[0]?.id).toBe(payload.order.id);
  });

  it('posts to the v1 route with the caller API key and no JWT when via is V1_APIKEY (§7)', async () => {
    stack.sandbox.calls.clear();

    const res = await stack.gql<SubmitData>(SUBMIT, { input: orderInput({ via: 'V1_APIKEY' }) });

    expect(dataOf(res).submitOrderRequest.userErrors).toEqual([]);
    expect(
      writes(stack.sandbox).map(({ method, path, authKind, apikeyLabel, body }) => ({ method, path, authKind, apikeyLabel, body })),
    ).toEqual([
      {
        method: 'POST',
        path: '/api/v1/public/orgs/org1/order-requests',
        authKind: 'apikey',
        apikeyLabel: 'org1-key',
        body: EXPECTED_ORDER_BODY,
      },
    ]);
  });

  it('computes the total from the items in exact cents', async () => {
    stack.sandbox.calls.clear();
    const items = [
      { name: 'A', quantity: 1, unitPrice: '0.10' },
      { name: 'B', quantity: 1, unitPrice: '0.20' },
      { name: 'C', quantity: 3, unitPrice: '19.99' },
    ];

    const res = await stack.gql<SubmitData>(SUBMIT, { input: orderInput({ items }) });

    expect(dataOf(res).submitOrderRequest.order.totalAmount).toEqual({ amount: '60.27' });
    expect(writes(stack.sandbox)[0]?.body).toMatchObject({ payload: { total_amount: 60.27 } });
  });
});

describe('submitExternalOrder', () => {
  it('posts to the shop proxy with the API key; the shop injects its shop_id and forwards (§8)', async () => {
    const before = await orderCount();
    stack.sandbox.calls.clear();

    const res = await stack.gql<{ submitExternalOrder: { orderRequest: unknown; userErrors: UserError[] } }>(EXTERNAL, {
      input: orderInput(),
    });

    const payload = dataOf(res).submitExternalOrder;
    expect(payload.userErrors).toEqual([]);
    expect(payload.orderRequest).toMatchObject({
      shopId: 'shop1',
      order: { customerName: 'Max Mustermann', totalAmount: { amount: '25.80' } },
    });
    const { shop_id: _shopId, ...withoutShop } = EXPECTED_ORDER_BODY;
    expect(writes(stack.sandbox).map(({ method, path, authKind, body }) => ({ method, path, authKind, body }))).toEqual([
      { method: 'POST', path: '/shops/shop1/api/v1/external-order', authKind: 'apikey', body: withoutShop },
      { method: 'POST', path: '/api/v1/public/orgs/org1/order-requests', authKind: 'apikey', body: EXPECTED_ORDER_BODY },
    ]);
    expect(await orderCount()).toBe(before + 1);
  });
});

describe('ingestPrescription', () => {
  it('posts the Title Case body (§10) and the prescription is listed afterwards', async () => {
    stack.sandbox.calls.clear();

    const res = await stack.gql<{ ingestPrescription: { prescription: { id: string }; userErrors: UserError[] } }>(INGEST, {
      input: prescriptionInput(),
    });

    const payload = dataOf(res).ingestPrescription;
    expect(payload).toEqual({
      prescription: {
        id: expect.stringMatching(/^RX_/),
        status: 'PENDING',
        shopId: 'shop1',
        patientName: 'Erika Musterfrau',
        doctorName: 'Dr. Hans Beispiel',
        externalReference: 'TM-RX-2026-0099',
        items: [{ name: 'Cannabis flos 27/1', quantity: 10, dosage: '0.5 g twice daily' }],
      },
      userErrors: [],
    });
    expect(writes(stack.sandbox).map(({ method, path, authKind, body }) => ({ method, path, authKind, body }))).toEqual([
      {
        method: 'POST',
        path: '/api/v2/public/orgs/org1/prescriptions',
        authKind: 'jwt',
        body: {
          'Shop ID': 'shop1',
          'External Reference': 'TM-RX-2026-0099',
          'Patient Name': 'Erika Musterfrau',
          'Patient Email': 'erika@example.com',
          'Patient Date Of Birth': '1980-01-31',
          'Doctor Name': 'Dr. Hans Beispiel',
          'Issued At': '2026-06-14',
          Items: [{ 'Product Name': 'Cannabis flos 27/1', Quantity: 10, Dosage: '0.5 g twice daily' }],
        },
      },
    ]);
    const listed = await stack.gql<{ org: { prescriptions: unknown } }>(
      '{ org(id: "org1") { prescriptions(first: 1) { totalCount nodes { id } } } }',
    );
    expect(dataOf(listed).org.prescriptions).toEqual({ totalCount: 962, nodes: [{ id: payload.prescription.id }] });
  });
});

describe('validation before any upstream write', () => {
  const cases: Array<[string, string, Record<string, unknown>, string[]]> = [
    ['an empty customer name', SUBMIT, orderInput({ customer: { name: '  ', email: 'max@example.com' } }), ['input', 'customer', 'name']],
    ['a missing customer email', SUBMIT, orderInput({ customer: { name: 'Max' } }), ['input', 'customer', 'email']],
    ['a malformed email', SUBMIT, orderInput({ customer: { name: 'Max', email: 'max@' } }), ['input', 'customer', 'email']],
    [
      'a malformed postal code',
      SUBMIT,
      orderInput({
        customer: { name: 'Max', email: 'max@example.com', address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115!!' } },
      }),
      ['input', 'customer', 'address', 'postalCode'],
    ],
    ['no items', SUBMIT, orderInput({ items: [] }), ['input', 'items']],
    ['quantity 0', SUBMIT, orderInput({ items: [{ name: 'A', quantity: 0, unitPrice: '1.00' }] }), ['input', 'items', '0', 'quantity']],
    [
      'a negative price',
      SUBMIT,
      orderInput({ items: [{ name: 'A', quantity: 1, unitPrice: '-1.00' }] }),
      ['input', 'items', '0', 'unitPrice'],
    ],
    [
      'a price with 3 decimals',
      SUBMIT,
      orderInput({ items: [{ name: 'A', quantity: 1, unitPrice: '1.005' }] }),
      ['input', 'items', '0', 'unitPrice'],
    ],
    [
      'an over-long item name',
      SUBMIT,
      orderInput({ items: [{ name: 'x'.repeat(201), quantity: 1, unitPrice: '1' }] }),
      ['input', 'items', '0', 'name'],
    ],
    ['a shop of another org', SUBMIT, orderInput({ shopId: 'shop3' }), ['input', 'shopId']],
    ['an idempotency key with spaces', SUBMIT, orderInput({ idempotencyKey: 'a b' }), ['input', 'idempotencyKey']],
    ['an external order without a reference', EXTERNAL, orderInput({ externalReference: ' ' }), ['input', 'externalReference']],
    ['an empty patient name', INGEST, prescriptionInput({ patient: { name: '' } }), ['input', 'patient', 'name']],
    ['a prescription issued in the future', INGEST, prescriptionInput({ issuedAt: '2999-01-01' }), ['input', 'issuedAt']],
    [
      'a birth date in the future',
      INGEST,
      prescriptionInput({ patient: { name: 'E', dateOfBirth: '2999-01-01' } }),
      ['input', 'patient', 'dateOfBirth'],
    ],
    ['a prescription without items', INGEST, prescriptionInput({ items: [] }), ['input', 'items']],
    [
      'a prescription item of quantity 0',
      INGEST,
      prescriptionInput({ items: [{ productName: 'A', quantity: 0 }] }),
      ['input', 'items', '0', 'quantity'],
    ],
    ['a prescription for a shop of another org', INGEST, prescriptionInput({ shopId: 'shop3' }), ['input', 'shopId']],
  ];

  it.each(cases)('refuses %s with INVALID_INPUT and makes no write', async (_, mutation, input, field) => {
    stack.sandbox.calls.clear();

    const res = await stack.gql<Record<string, { userErrors: unknown[] }>>(mutation, { input });

    expect(res.body.errors).toBeUndefined();
    const payload = Object.values(dataOf(res))[0];
    expect(payload?.userErrors).toContainEqual({ field, code: 'INVALID_INPUT', message: expect.any(String) });
    expect(writes(stack.sandbox)).toEqual([]);
  });

  it('refuses status UNKNOWN without calling PharmaOne', async () => {
    stack.sandbox.calls.clear();
    const res = await stack.gql<StatusData>(STATUS, { input: { orgId: 'org1', orderId: 'ORD_x', status: 'UNKNOWN' } });
    expect(dataOf(res).updateOrderStatus.userErrors).toEqual([
      { field: ['input', 'status'], code: 'INVALID_INPUT', message: 'status cannot be UNKNOWN.' },
    ]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('idempotency', () => {
  it('returns the stored result for a repeated key without a second upstream write, and sends the key upstream', async () => {
    const before = await orderCount();
    const idempotencyKey = randomUUID();
    const input = orderInput({ idempotencyKey });

    const first = await stack.gql<SubmitData>(SUBMIT, { input });
    const second = await stack.gql<SubmitData>(SUBMIT, { input });

    expect(dataOf(second).submitOrderRequest.orderRequest).toEqual(dataOf(first).submitOrderRequest.orderRequest);
    // Sent upstream as the key derived from the caller's key and authorization scope (the same from every replica).
    const sent = upstreamIdempotencyKey({
      scopeId: passThroughScopeId(ORG1_KEY),
      orgId: 'org1',
      mutation: 'submitOrderRequest',
      key: idempotencyKey,
    });
    expect(writes(stack.sandbox).map((call) => call.idempotencyKey)).toEqual([sent]);
    expect(await orderCount()).toBe(before + 1);
  });

  it('makes one upstream write for ten concurrent submissions with the same key', async () => {
    const before = await orderCount();
    const input = orderInput({ idempotencyKey: randomUUID() });

    const results = await Promise.all(Array.from({ length: 10 }, () => stack.gql<SubmitData>(SUBMIT, { input })));

    const ids = new Set(results.map((res) => dataOf(res).submitOrderRequest.orderRequest.id));
    expect(ids.size).toBe(1);
    expect(writes(stack.sandbox)).toHaveLength(1);
    expect(await orderCount()).toBe(before + 1);
  });

  it('refuses the same key with a different input: IDEMPOTENCY_KEY_REUSED and no call', async () => {
    const idempotencyKey = randomUUID();
    await stack.gql(SUBMIT, { input: orderInput({ idempotencyKey }) });
    stack.sandbox.calls.clear();

    const res = await stack.gql<SubmitData>(SUBMIT, { input: orderInput({ idempotencyKey, shippingOption: 'DHL' }) });

    expect(dataOf(res).submitOrderRequest.userErrors).toEqual([
      { field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: expect.any(String) },
    ]);
    expect(writes(stack.sandbox)).toEqual([]);
  });

  it('keeps keys apart per credential: another caller with the same key is not served this result', async () => {
    const idempotencyKey = randomUUID();
    const mine = await stack.gql<SubmitData>(SUBMIT, { input: orderInput({ idempotencyKey }) });
    const theirs = await stack.gql<SubmitData>(SUBMIT, { input: orderInput({ idempotencyKey }) }, { apikey: ORG1_READONLY_KEY });

    expect(dataOf(mine).submitOrderRequest.orderRequest.id).toMatch(/^REQ_/);
    expect(dataOf(theirs).submitOrderRequest.orderRequest).toBeNull();
    expect(dataOf(theirs).submitOrderRequest.userErrors[0]?.code).toBe('FORBIDDEN');
  });
});
