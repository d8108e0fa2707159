// Hostile values from PharmaOne: a value that cannot be represented fails only its own field (the
// other fields and rows are served), and neither the response nor the log repeats it; errors
// name the field. The sandbox's admin route PATCH /_sandbox/orgs/{org}/orders/{id} plays the
// hostile upstream.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, startStack } from '../support/gateway.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';

const CANARY = {
  name: 'Jane Canarybird',
  street: 'Kanarienweg 4711',
  email: 'jane.canary@example.org',
};
const CANARY_TEXT = `${CANARY.name}, ${CANARY.street}, ${CANARY.email}`;

let stack: TestStack;
let ids: string[];
beforeAll(async () => {
  stack = await startStack();
});
beforeEach(async () => {
  stack.sandbox.reset();
  const res = await stack.gql<{ org: OrderIds }>('{ org(id: "org1") { orders(first: 3) { nodes { id } } } }');
  ids = dataOf(res).org.orders.nodes.map((order) => order.id);
  expect(ids).toHaveLength(3);
});
afterAll(() => stack.close());

function patch(orderId: string, wire: Record<string, unknown>) {
  expect(stack.sandbox.patchOrderWire('org1', orderId, wire)).toBe(true);
}

function expectNoCanary(body: unknown) {
  for (const text of [JSON.stringify(body), stack.logText()]) {
    for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);
  }
}

const LIST = `{ org(id: "org1") { orders(first: 3) { totalCount nodes { id customerName createdAt updatedAt totalAmount { amount cents currency } } } } }`;

describe('one bad value fails only its own field', () => {
  it('serves all three rows when one has a personal-data created_at, one total "abc" and one total beyond 32-bit cents', async () => {
    const [a, b, c] = ids as [string, string, string];
    patch(a, { created_at: CANARY_TEXT });
    patch(b, { total_amount: 'abc' });
    patch(c, { total_amount: 30_000_000.01 });

    const res = await stack.gql<{ org: { orders: { nodes: Array<{ id: string }> } } }>(LIST);

    const nodes = dataOf(res).org.orders.nodes;
    expect(nodes.map((order) => order.id)).toEqual(ids);
    expect(nodes[0]).toMatchObject({ createdAt: null, updatedAt: expect.any(String), totalAmount: { amount: expect.any(String) } });
    expect(nodes[1]).toMatchObject({ createdAt: expect.any(String), totalAmount: null });
    expect(nodes[2]).toMatchObject({ totalAmount: { amount: '30000000.01', cents: null, currency: 'EUR' } });
    const errors = (res.body.errors ?? []).map((error) => ({ path: error.path, code: error.extensions?.code, message: error.message }));
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          path: ['org', 'orders', 'nodes', 0, 'createdAt'],
          code: 'UPSTREAM_UNAVAILABLE',
          message: expect.stringContaining('Order.createdAt'),
        },
        {
          path: ['org', 'orders', 'nodes', 1, 'totalAmount'],
          code: 'UPSTREAM_UNAVAILABLE',
          message: expect.stringContaining('Order.totalAmount'),
        },
        {
          path: ['org', 'orders', 'nodes', 2, 'totalAmount', 'cents'],
          code: 'VALUE_NOT_REPRESENTABLE',
          message: expect.stringContaining('Money.cents'),
        },
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ reason: 'invalid_response' });
    expectNoCanary(res.body);
    // Expected failures of upstream data, not server bugs: no error-level line.
    expect(stack.logs.filter((line) => (line.level ?? 0) >= 50)).toEqual([]);
  });

  it.each([
    ['created_at as a name, street and email', { created_at: CANARY_TEXT }],
    ['updated_at as an object', { updated_at: { note: CANARY_TEXT } }],
    ['created_at as a number', { created_at: 4711 }],
    ['total_amount as text', { total_amount: `${CANARY.email}` }],
    ['total_amount as an object', { total_amount: { street: CANARY.street } }],
    ['total_amount beyond exact cents', { total_amount: 1e300 }],
    ['a line price as text', { items: [{ name: 'x', quantity: 1, price: CANARY.name, p1_id: '' }] }],
    ['a line quantity beyond 32 bits', { items: [{ name: 'x', quantity: 2 ** 40, price: 1, p1_id: '' }] }],
    ['customer_name as an object', { customer_name: { street: CANARY.street } }],
    ['customer_email as an object', { customer_email: { street: CANARY.street } }],
  ])('%s: the order is served, the field is null with an error naming it, no value in response or log', async (_, wire) => {
    const id = ids[1] as string;
    patch(id, wire);

    const res = await stack.gql<{ org: { order: { id: string } | null } }>(
      `query($id: ID!) { org(id: "org1") { order(id: $id) { id customerName customerEmail createdAt updatedAt totalAmount { amount cents }
         items { name quantity unitPrice { amount } lineTotal { amount cents } } } } }`,
      { id },
    );

    expect(dataOf(res).org.order?.id).toBe(id);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    for (const error of res.body.errors ?? []) {
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(error.message).toMatch(/(Order|OrderItem|Money)\.\w+/);
    }
    expectNoCanary(res.body);
    expect(stack.logs.filter((line) => (line.level ?? 0) >= 50)).toEqual([]);
  });
});

describe('enums', () => {
  it('an order status or payment status that is not text is UNKNOWN, the row is served, nothing is echoed', async () => {
    const id = ids[2] as string;
    patch(id, { status: { note: CANARY_TEXT }, payment_status: [CANARY.email] });

    const res = await stack.gql<{ org: { order: unknown } }>(
      'query($id: ID!) { org(id: "org1") { order(id: $id) { id status statusRaw paymentStatus paymentStatusRaw } } }',
      {
        id,
      },
    );

    expect(dataOf(res).org.order).toEqual({ id, status: 'UNKNOWN', statusRaw: '', paymentStatus: 'UNKNOWN', paymentStatusRaw: '' });
    expectNoCanary(res.body);
  });
});

describe('the sandbox admin route that plays a hostile upstream', () => {
  it('patches the raw wire fields of one order until reset, over HTTP', async () => {
    const id = ids[0] as string;
    const patched = await request(`${stack.sandbox.url}/_sandbox/orgs/org1/orders/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ wire: { total_amount: 'abc' } }),
    });
    expect(patched.statusCode).toBe(204);
    await patched.body.dump();
    const token = (await (
      await request(`${stack.sandbox.url}/api/v2/public/orgs/org1/auth/token`, { method: 'POST', headers: { apikey: 'sandbox-org1-key' } })
    ).body.json()) as { access_token: string };
    const read = async () =>
      (await (
        await request(`${stack.sandbox.url}/api/v2/public/orgs/org1/orders/${id}`, {
          headers: { authorization: `Bearer ${token.access_token}` },
        })
      ).body.json()) as { total_amount: unknown };

    expect((await read()).total_amount).toBe('abc');
    stack.sandbox.reset();
    expect(typeof (await read()).total_amount).toBe('number');
  });

  it('refuses a body without a wire object (400) and an unknown order (404)', async () => {
    const send = (path: string, body: unknown) =>
      request(`${stack.sandbox.url}${path}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (res) => {
        await res.body.dump();
        return res.statusCode;
      });
    expect(await send(`/_sandbox/orgs/org1/orders/${ids[0]}`, { total_amount: 1 })).toBe(400);
    expect(await send(`/_sandbox/orgs/org1/orders/${ids[0]}`, { wire: [1] })).toBe(400);
    expect(await send('/_sandbox/orgs/org1/orders/ORD_nope', { wire: {} })).toBe(404);
    expect(await send(`/_sandbox/orgs/org9/orders/${ids[0]}`, { wire: {} })).toBe(404);
  });
});
