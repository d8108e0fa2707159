// Hardening class 1: ids become URL paths. Every value that goes into an upstream URL must match
// PharmaOne's id grammar; a malicious spelling in any id-taking field or mutation is refused as
// bad input before a single upstream call (no token exchange either).
import { beforeEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, stackFixture } from '../support/gateway.ts';
import { HOSTILE_IDS } from '../support/hostile-ids.ts';

const ORDER = 'ORD_20260614_8v039dhnrv';

/** Every query field that takes an id, with the bad id in its place (and the calls its parents need). */
const QUERIES: Array<[string, string, string[]?]> = [
  ['org(id)', 'query($v: ID!) { org(id: $v) { id } }'],
  ['Org.shop(id)', 'query($v: ID!) { org(id: "org1") { shop(id: $v) { id } } }'],
  ['Org.order(id)', 'query($v: ID!) { org(id: "org1") { order(id: $v) { id } } }'],
  ['Org.inventory(shopId)', 'query($v: ID!) { org(id: "org1") { inventory(shopId: $v) { totalCount } } }'],
  ['Org.orders(filter.shopId)', 'query($v: ID!) { org(id: "org1") { orders(filter: { shopId: $v }) { totalCount } } }'],
  ['Org.prescriptions(filter.shopId)', 'query($v: ID!) { org(id: "org1") { prescriptions(filter: { shopId: $v }) { totalCount } } }'],
  [
    'Shop.orders(filter.shopId)',
    'query($v: ID!) { org(id: "org1") { shop(id: "shop1") { orders(filter: { shopId: $v }) { totalCount } } } }',
    // The parent shop is read; the bad filter costs nothing.
    ['GET /shops'],
  ],
];

const customer = { name: 'Max Mustermann', email: 'max@example.com' };
const items = [{ name: 'Aspirin', quantity: 1, unitPrice: '4.99' }];
const patient = { name: 'Erika Musterfrau' };

/** Every mutation input id, with the bad id in its place. */
const MUTATIONS: Array<[string, string, (v: string) => Record<string, unknown>, string]> = [
  [
    'updateOrderStatus.orgId',
    'updateOrderStatus(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: v, orderId: ORDER, status: 'PACKED' }),
    'UpdateOrderStatusInput',
  ],
  [
    'updateOrderStatus.orderId',
    'updateOrderStatus(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: 'org1', orderId: v, status: 'PACKED' }),
    'UpdateOrderStatusInput',
  ],
  [
    'submitOrderRequest.orgId',
    'submitOrderRequest(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: v, shopId: 'shop1', customer, items }),
    'SubmitOrderRequestInput',
  ],
  [
    'submitOrderRequest.shopId',
    'submitOrderRequest(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: 'org1', shopId: v, customer, items }),
    'SubmitOrderRequestInput',
  ],
  [
    'submitOrderRequest(V1).shopId',
    'submitOrderRequest(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: 'org1', shopId: v, customer, items, via: 'V1_APIKEY' }),
    'SubmitOrderRequestInput',
  ],
  [
    'submitExternalOrder.orgId',
    'submitExternalOrder(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: v, shopId: 'shop1', externalReference: 'TM-1', customer, items }),
    'SubmitExternalOrderInput',
  ],
  [
    'submitExternalOrder.shopId',
    'submitExternalOrder(input: $i) { userErrors { field code } }',
    (v) => ({ orgId: 'org1', shopId: v, externalReference: 'TM-1', customer, items }),
    'SubmitExternalOrderInput',
  ],
  [
    'ingestPrescription.orgId',
    'ingestPrescription(input: $i) { userErrors { field code } }',
    (v) => ({
      orgId: v,
      shopId: 'shop1',
      patient,
      doctorName: 'Dr. X',
      issuedAt: '2026-06-01',
      items: [{ productName: 'Aspirin', quantity: 1 }],
    }),
    'IngestPrescriptionInput',
  ],
  [
    'ingestPrescription.shopId',
    'ingestPrescription(input: $i) { userErrors { field code } }',
    (v) => ({
      orgId: 'org1',
      shopId: v,
      patient,
      doctorName: 'Dr. X',
      issuedAt: '2026-06-01',
      items: [{ productName: 'Aspirin', quantity: 1 }],
    }),
    'IngestPrescriptionInput',
  ],
];

const stack = stackFixture();
beforeEach(async () => {
  // A warm token for org1, so "0 calls" below means the bad id cost nothing at all.
  await stack.gql('{ org(id: "org1") { id } }');
  stack.sandbox.calls.clear();
});

describe('a malicious id in a query field', () => {
  const cases = QUERIES.flatMap(([field, query, parentCalls = []]) =>
    HOSTILE_IDS.map(([spelling, value]) => ({ field, query, parentCalls, spelling, value })),
  );

  it.each(cases)('$field with $spelling: BAD_USER_INPUT, no upstream call for it', async ({ query, parentCalls, value }) => {
    const res = await stack.gql(query, { v: value });

    expect(res.status).toBe(200);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(restCalls(stack.sandbox)).toEqual(parentCalls);
    // The message names the argument, never echoes the value.
    if (value.length > 3) expect(JSON.stringify(res.body)).not.toContain(value);
  });
});

describe('a malicious id in a mutation input', () => {
  const cases = MUTATIONS.flatMap(([name, selection, input, type]) =>
    HOSTILE_IDS.map(([spelling, value]) => ({ name, selection, input, type, spelling, value })),
  );

  it.each(cases)(
    '$name with $spelling: userErrors INVALID_INPUT on that field, 0 upstream calls',
    async ({ name, selection, input, type, value }) => {
      const res = await stack.gql(`mutation($i: ${type}!) { ${selection} }`, { i: input(value) });

      const field = name.split('.')[1];
      const payload = Object.values(res.body.data ?? {})[0] as { userErrors: Array<{ field: string[]; code: string }> };
      expect(res.body.errors).toBeUndefined();
      expect(payload.userErrors).toContainEqual({ field: ['input', field], code: 'INVALID_INPUT' });
      expect(stack.sandbox.calls.list()).toEqual([]);
    },
  );
});

describe('the URL builder is the guarantee', () => {
  it('refuses a 900 KB org id with BAD_USER_INPUT, not INTERNAL_SERVER_ERROR, and sends nothing', async () => {
    const res = await stack.gql('query($v: ID!) { org(id: $v) { id shops { id } } }', { v: 'o'.repeat(900 * 1024) });

    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.sandbox.calls.list()).toEqual([]);
    expect(stack.logText()).not.toContain('o'.repeat(1000));
  });

  it('still serves every id the seed uses', async () => {
    const res = await stack.gql<{ org: unknown }>(`{ org(id: "org1") { shop(id: "shop1") { id } order(id: "${ORDER}") { id } } }`);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org).toEqual({ shop: { id: 'shop1' }, order: { id: ORDER } });
  });
});
