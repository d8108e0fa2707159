// Faults on every write path: a write is attempted exactly once and answered with a clear
// OUTCOME_UNKNOWN; a client retry with the same idempotencyKey then yields exactly one write.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway } from '../../src/gateway.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { passThroughScopeId } from '../../src/auth/caller.ts';
import { upstreamIdempotencyKey } from '../../src/writes/idempotency-store.ts';
import { dataOf, ORG1_KEY, startStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { TestStack } from '../support/gateway.ts';

let stack: TestStack;
beforeAll(async () => {
  // A hung upstream is given up on after 500 ms instead of the production 10 s.
  stack = await startStack({ env: { UPSTREAM_HEADERS_TIMEOUT_MS: '500' } });
  await stack.gql('{ org(id: "org1") { id } }');
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.reset());

const customer = { name: 'Max Mustermann', email: 'max@example.com' };
const items = [{ name: 'Cannabis flos 27/1', quantity: 5, unitPrice: '5.10' }];
const order = { orgId: 'org1', shopId: 'shop1', customer, items };

async function count(list: 'orders' | 'prescriptions'): Promise<number> {
  const res = await stack.gql<{ org: Record<typeof list, { totalCount: number }> }>(
    `{ org(id: "org1") { ${list}(first: 1) { totalCount } } }`,
  );
  return dataOf(res).org[list].totalCount;
}

interface WritePayload {
  userErrors: unknown[];
  orderRequest?: { orderId: string } | null;
  prescription?: { id: string } | null;
}
// Each mutation's payload under its own field name.
type WriteData = Record<'submitOrderRequest' | 'submitExternalOrder' | 'ingestPrescription' | 'updateOrderStatus', WritePayload>;

/** Sends `mutation { <field>(input: $i) { <result> userErrors {…} } }` and returns the field's payload. */
async function write(field: keyof WriteData, inputType: string, result: string, input: Record<string, unknown>): Promise<WritePayload> {
  const res = await stack.gql<WriteData>(
    `mutation($i: ${inputType}!) { ${field}(input: $i) { ${result} userErrors { code message field } } }`,
    { i: input },
  );
  return dataOf(res)[field];
}
const orderIdOf = (payload: WritePayload) => must(payload.orderRequest, 'an order request').orderId;

interface WritePath {
  name: string;
  /** The sandbox route the fault is put on (the first hop of the write). */
  route: string;
  counts: 'orders' | 'prescriptions';
  /** Sends the mutation with this key; returns the payload. */
  send(key: string): Promise<WritePayload>;
  /** The id that tells one write's result from another's. */
  resultId(payload: WritePayload): string;
}

const writePaths: WritePath[] = [
  {
    name: 'submitOrderRequest via V2_JWT',
    route: 'POST /api/v2/public/orgs/{org}/order-requests',
    counts: 'orders',
    send: (key) => write('submitOrderRequest', 'SubmitOrderRequestInput', 'orderRequest { orderId }', { ...order, idempotencyKey: key }),
    resultId: orderIdOf,
  },
  {
    name: 'submitOrderRequest via V1_APIKEY',
    route: 'POST /api/v1/public/orgs/{org}/order-requests',
    counts: 'orders',
    send: (key) =>
      write('submitOrderRequest', 'SubmitOrderRequestInput', 'orderRequest { orderId }', {
        ...order,
        via: 'V1_APIKEY',
        idempotencyKey: key,
      }),
    resultId: orderIdOf,
  },
  {
    name: 'submitExternalOrder through the shop proxy',
    route: 'POST /shops/{shopId}/api/v1/external-order',
    counts: 'orders',
    send: (key) =>
      write('submitExternalOrder', 'SubmitExternalOrderInput', 'orderRequest { orderId }', {
        ...order,
        externalReference: 'TM-1',
        idempotencyKey: key,
      }),
    resultId: orderIdOf,
  },
  {
    name: 'ingestPrescription',
    route: 'POST /api/v2/public/orgs/{org}/prescriptions',
    counts: 'prescriptions',
    send: (key) =>
      write('ingestPrescription', 'IngestPrescriptionInput', 'prescription { id }', {
        orgId: 'org1',
        shopId: 'shop1',
        patient: { name: 'Erika Musterfrau' },
        doctorName: 'Dr. Beispiel',
        issuedAt: '2026-06-14',
        items: [{ productName: 'Cannabis flos 27/1', quantity: 1 }],
        idempotencyKey: key,
      }),
    resultId: (payload) => must(payload.prescription, 'a prescription').id,
  },
];

const faults = [
  { name: '503 before the write', rule: { errorRate: 1, errorStatus: 503 } },
  { name: 'reset after the write', rule: { resetRate: 1, when: 'after' } },
  { name: 'hang after the write', rule: { hangRate: 1, when: 'after' } },
] as const;

describe.each(writePaths)('$name', (path) => {
  it.each(faults)('on $name: one attempt, OUTCOME_UNKNOWN, then a keyed retry makes exactly one write', async ({ rule }) => {
    const before = await count(path.counts);
    const key = randomUUID();
    stack.sandbox.faults.set([{ route: path.route, times: 1, ...rule }]);
    stack.sandbox.calls.clear();

    const started = Date.now();
    const failed = await path.send(key);

    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failed.userErrors).toEqual([
      { field: null, code: 'OUTCOME_UNKNOWN', message: expect.stringContaining('Retrying with the same idempotencyKey is safe') },
    ]);
    expect(stack.sandbox.calls.list({ route: path.route })).toHaveLength(1);

    const retried = await path.send(key);

    expect(retried.userErrors).toEqual([]);
    expect(await count(path.counts)).toBe(before + 1);
    expect(stack.sandbox.calls.list({ route: path.route })).toHaveLength(2);
    // Both attempts carry the same Idempotency-Key, derived from the caller's key and authorization scope.
    const sent = upstreamIdempotencyKey({
      scopeId: passThroughScopeId(ORG1_KEY),
      orgId: 'org1',
      mutation: must(path.name.split(' ')[0], 'the mutation name'),
      key,
    });
    expect(stack.sandbox.calls.list({ route: path.route }).map((call) => call.idempotencyKey)).toEqual([sent, sent]);
  });

  it('is not retried by the gateway without a key: one attempt, and the error says the outcome is unknown', async () => {
    stack.sandbox.faults.set([{ route: path.route, times: 1, errorRate: 1, errorStatus: 502 }]);
    stack.sandbox.calls.clear();

    const failed = await path.send(undefined as unknown as string);

    expect(failed.userErrors).toEqual([
      { field: null, code: 'OUTCOME_UNKNOWN', message: expect.stringContaining('send an idempotencyKey to make retries safe') },
    ]);
    expect(stack.sandbox.calls.list({ route: path.route })).toHaveLength(1);
  });
});

describe('updateOrderStatus', () => {
  it.each(faults)('on $name: one PATCH, OUTCOME_UNKNOWN, then a keyed retry lands the change once', async ({ rule }) => {
    const list = await stack.gql<{ org: { orders: { nodes: Array<{ id: string }> } } }>(
      '{ org(id: "org1") { orders(first: 1, filter: { status: PENDING }) { nodes { id } } } }',
    );
    const orderId = must(dataOf(list).org.orders.nodes[0], 'a pending order').id;
    const route = 'PATCH /api/v2/public/orgs/{org}/orders/{id}/status';
    const send = async (key: string) =>
      dataOf(
        await stack.gql<WriteData>(
          'mutation($i: UpdateOrderStatusInput!) { updateOrderStatus(input: $i) { order { status } userErrors { code } } }',
          {
            i: { orgId: 'org1', orderId, status: 'AWAITING_PACKING', idempotencyKey: key },
          },
        ),
      ).updateOrderStatus;
    const key = randomUUID();
    stack.sandbox.faults.set([{ route, times: 1, ...rule }]);

    const failed = await send(key);
    const retried = await send(key);

    expect(failed.userErrors).toEqual([{ code: 'OUTCOME_UNKNOWN' }]);
    expect(retried).toEqual({ order: { status: 'AWAITING_PACKING' }, userErrors: [] });
    expect(stack.sandbox.calls.list({ route })).toHaveLength(2);
  });
});

describe('a refused connection', () => {
  it('says nothing was written: UPSTREAM_UNAVAILABLE, safe to retry later', async () => {
    const closed = await startStack();
    await closed.gql('{ org(id: "org1") { shops { id } } }');
    await closed.sandbox.close();
    try {
      const res = await closed.gql<WriteData>(
        'mutation { updateOrderStatus(input: { orgId: "org1", orderId: "ORD_x", status: PACKED }) { userErrors { code } } }',
      );
      expect(dataOf(res).updateOrderStatus.userErrors).toEqual([{ code: 'UPSTREAM_UNAVAILABLE' }]);
    } finally {
      await closed.gateway.close();
    }
  });
});

describe('a gateway without a shop proxy URL template', () => {
  it('refuses submitExternalOrder clearly and sends nothing', async () => {
    const gateway = await startGateway(
      loadConfig({ PORT: '0', HOST: '127.0.0.1' }),
      { baseUrl: stack.sandbox.url, shopUrlTemplate: undefined },
      { logger: createLogger({ level: 'silent' }) },
    );
    try {
      stack.sandbox.calls.clear();
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
        body: JSON.stringify({
          query:
            'mutation($i: SubmitExternalOrderInput!) { submitExternalOrder(input: $i) { orderRequest { id } userErrors { code message } } }',
          variables: { i: { orgId: 'org1', shopId: 'shop1', externalReference: 'TM-1', customer, items } },
        }),
      });
      const body = (await res.json()) as { data: { submitExternalOrder: unknown } };

      expect(body.data.submitExternalOrder).toEqual({
        orderRequest: null,
        userErrors: [{ code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('PHARMAONE_SHOP_URL_TEMPLATE') }],
      });
      expect(stack.sandbox.calls.list().filter((call) => call.method === 'POST' && !call.path.endsWith('/auth/token'))).toEqual([]);
    } finally {
      await gateway.close();
    }
  });
});
