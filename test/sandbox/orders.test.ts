import { describe, expect, it } from 'vitest';
import { must } from '../support/must.ts';
import { manager, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

type OrderList = RestSchema<'OrderList'>;
type Order = RestSchema<'Order'>;
type ErrorBody = RestSchema<'Error'>;

const ctx = signedInSandbox();

const ORDERS = `${manager()}/orders`;

// The vendor's own §3 and §4 samples, verbatim.
const SEED_LIST_PAGE = {
  data: [
    {
      id: 'ORD_20260614_8v039dhnrv',
      shop_id: 'shop1',
      customer_name: 'Max Mustermann',
      status: 'awaiting_packing',
      payment_status: 'pending',
      total_amount: 98.25,
      created_at: '2026-06-14T10:05:55.806759Z',
      updated_at: '2026-06-14T11:43:41.851771Z',
    },
    {
      id: 'ORD_20260613_LmOSX158ce',
      shop_id: 'shop1',
      customer_name: 'Max Mustermann',
      status: 'pending',
      payment_status: 'pending',
      total_amount: 34.25,
      created_at: '2026-06-13T06:18:21.998356Z',
      updated_at: '2026-06-13T06:18:52.592746Z',
    },
  ],
  pagination: { limit: 2, offset: 0, total: 731 },
};

const SEED_ORDER = {
  id: 'ORD_20260614_8v039dhnrv',
  shop_id: 'shop1',
  customer_name: 'Max Mustermann',
  customer_email: 'max@example.com',
  status: 'awaiting_packing',
  payment_status: 'pending',
  total_amount: 98.25,
  items: [{ name: '24/1 IUVO KC OJ Zainbow', quantity: 11, price: 8.75, p1_id: '' }],
  shipping_address: { street: 'Musterstr. 1', city: 'Berlin', postal_code: '10115', phone: '+49123456789' },
  created_at: '2026-06-14T10:05:55.806759Z',
  updated_at: '2026-06-14T11:43:41.851771Z',
};

async function allOrders(query: Record<string, string> = {}) {
  const rows: OrderList['data'] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { ...query, limit: 100, offset } });
    expect(res.status).toBe(200);
    rows.push(...res.body.data);
    if (offset + 100 >= res.body.pagination.total) return { rows, total: res.body.pagination.total };
  }
}

describe('order list (§3)', () => {
  it("answers the seed's first page exactly", async () => {
    const res = await ctx.client.get(ORDERS, { token: ctx.token, query: { limit: 2 } });

    expect(res.status).toBe(200);
    expect(res.body).toEqual(SEED_LIST_PAGE);
  });

  it('defaults to 20 rows from offset 0', async () => {
    const res = await ctx.client.get<OrderList>(ORDERS, { token: ctx.token });

    expect(res.body.data).toHaveLength(20);
    expect(res.body.pagination).toEqual({ limit: 20, offset: 0, total: 731 });
  });

  it('pages through all 731 orders newest first without gaps or overlaps', async () => {
    const { rows, total } = await allOrders();

    expect(total).toBe(731);
    expect(new Set(rows.map((row) => row.id)).size).toBe(731);
    const created = rows.map((row) => row.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(rows.filter((row) => row.shop_id === 'shop1')).toHaveLength(696);
    expect(rows.filter((row) => row.shop_id === 'shop2')).toHaveLength(35);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(Object.keys(must(SEED_LIST_PAGE.data[0], 'the first seed row')));
      expect(row.id).toMatch(/^ORD_\d{8}_[A-Za-z0-9]{10}$/);
      expect(row.id.slice(4, 12)).toBe(row.created_at.slice(0, 10).replaceAll('-', ''));
      expect(row.created_at >= '2026-01-01' && row.created_at < '2026-06-15').toBe(true);
      expect(row.updated_at >= row.created_at).toBe(true);
    }
  });

  it('applies offset after the newest-first ordering', async () => {
    const res = await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { limit: 1, offset: 1 } });

    expect(res.body.data.map((row) => row.id)).toEqual(['ORD_20260613_LmOSX158ce']);
    expect(res.body.pagination).toEqual({ limit: 1, offset: 1, total: 731 });
  });

  it('answers an empty page past the end, still with the total', async () => {
    const res = await ctx.client.get(ORDERS, { token: ctx.token, query: { offset: 5000 } });

    expect(res.body).toEqual({ data: [], pagination: { limit: 20, offset: 5000, total: 731 } });
  });

  it.each([['0'], ['101'], ['abc'], ['1.5'], ['-1'], ['']])('rejects limit=%s with 400 invalid_parameter', async (limit) => {
    const res = await ctx.client.get(ORDERS, { token: ctx.token, query: { limit } });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_parameter', message: expect.stringContaining('limit') });
  });

  it.each([['-1'], ['x']])('rejects offset=%s with 400', async (offset) => {
    const res = await ctx.client.get<ErrorBody>(ORDERS, { token: ctx.token, query: { offset } });

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_parameter');
  });

  it('accepts the limit bounds 1 and 100', async () => {
    expect((await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { limit: 1 } })).body.data).toHaveLength(1);
    expect((await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { limit: 100 } })).body.data).toHaveLength(100);
  });

  it('filters by status, payment_status and shop_id, combined with AND', async () => {
    const completed = await allOrders({ status: 'completed' });
    const paid = await allOrders({ payment_status: 'paid' });
    const shop2 = await allOrders({ shop_id: 'shop2' });
    const both = await allOrders({ status: 'completed', payment_status: 'paid', shop_id: 'shop1' });

    expect(completed.rows.every((row) => row.status === 'completed')).toBe(true);
    expect(paid.rows.every((row) => row.payment_status === 'paid')).toBe(true);
    expect(shop2.total).toBe(35);
    expect(shop2.rows.every((row) => row.shop_id === 'shop2')).toBe(true);
    expect(both.rows.every((row) => row.status === 'completed' && row.payment_status === 'paid' && row.shop_id === 'shop1')).toBe(true);
    // Older orders are mostly completed and paid, as in a real shop.
    expect(completed.total).toBeGreaterThan(600);
    expect(both.total).toBeGreaterThan(550);
    expect(both.total).toBeLessThan(completed.total);
  });

  it('answers an unknown shop_id with an empty page, and an unknown status value with 400', async () => {
    const unknownShop = await ctx.client.get(ORDERS, { token: ctx.token, query: { shop_id: 'shop9' } });
    const unknownStatus = await ctx.client.get(ORDERS, { token: ctx.token, query: { status: 'lost' } });

    expect(unknownShop.body).toEqual({ data: [], pagination: { limit: 20, offset: 0, total: 0 } });
    expect(unknownStatus.status).toBe(400);
  });

  it("keeps org2's 100 orders apart from org1's", async () => {
    const res = await ctx.client.get<OrderList>(`${manager('org2')}/orders`, { token: await ctx.client.token('sandbox-org2-key') });

    expect(res.body.pagination.total).toBe(100);
    expect(res.body.data.every((row) => row.shop_id === 'shop3')).toBe(true);
  });
});

describe('order detail (§4)', () => {
  it("answers the seed's §4 object exactly, unwrapped", async () => {
    const res = await ctx.client.get<Order>(`${ORDERS}/ORD_20260614_8v039dhnrv`, { token: ctx.token });

    expect(res.status).toBe(200);
    expect(res.body).toEqual(SEED_ORDER);
    expect(Object.keys(res.body)).toEqual(Object.keys(SEED_ORDER));
  });

  it('keeps every seeded total equal to its items plus shipping (2.00 delivery or 0.00 pickup), in cents', async () => {
    const { rows } = await allOrders();
    const sample = rows.filter((_, index) => index % 9 === 0);
    let catalogless = 0;
    let items = 0;
    for (const summary of sample) {
      const order = (await ctx.client.get<Order>(`${ORDERS}/${summary.id}`, { token: ctx.token })).body;
      const itemCents = order.items.reduce((sum, item) => sum + item.quantity * Math.round(item.price * 100), 0);
      expect([0, 200]).toContain(Math.round(order.total_amount * 100) - itemCents);
      expect(order.total_amount).toBe(summary.total_amount);
      expect(order.customer_email).toMatch(/@example\.com$/);
      expect(order.shipping_address?.phone).toMatch(/^\+49\d+$/);
      expect(order.shipping_address?.postal_code).toMatch(/^\d{5}$/);
      items += order.items.length;
      catalogless += order.items.filter((item) => item.p1_id === '').length;
    }
    // Roughly one item in ten has no catalog entry.
    expect(catalogless / items).toBeGreaterThan(0.03);
    expect(catalogless / items).toBeLessThan(0.2);
  });

  it('answers an unknown id with 404 not_found', async () => {
    const res = await ctx.client.get(`${ORDERS}/ORD_20260101_nothere000`, { token: ctx.token });

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it("does not show one org's order to another", async () => {
    const res = await ctx.client.get(`${manager('org2')}/orders/ORD_20260614_8v039dhnrv`, {
      token: await ctx.client.token('sandbox-org2-key'),
    });

    expect(res.status).toBe(404);
  });
});

describe('status transitions (§5)', () => {
  async function orderIn(status: string): Promise<string> {
    const res = await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { status, limit: 1 } });
    const id = res.body.data[0]?.id;
    if (!id) throw new Error(`no seeded order in status ${status}`);
    return id;
  }

  // The body is the order on 200 and an error body otherwise; callers name the one they expect.
  const patch = <Body = Order>(id: string, status: unknown, extra: { idempotencyKey?: string } = {}) =>
    ctx.client.patch<Body>(`${ORDERS}/${id}/status`, { token: ctx.token, json: { status }, ...extra });

  it('walks an order through the whole delivery lifecycle, bumping updated_at each time', async () => {
    const id = await orderIn('pending');
    let previous = (await ctx.client.get<Order>(`${ORDERS}/${id}`, { token: ctx.token })).body;
    for (const status of ['awaiting_packing', 'packed', 'shipped', 'completed']) {
      const res = await patch(id, status);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...previous, status, updated_at: expect.any(String) });
      expect(res.body.updated_at > previous.updated_at).toBe(true);
      previous = res.body;
    }
    expect((await ctx.client.get(`${ORDERS}/${id}`, { token: ctx.token })).body).toEqual(previous);
  });

  it('allows packed → ready_for_pickup → completed for pickup orders', async () => {
    const id = await orderIn('packed');

    expect((await patch(id, 'ready_for_pickup')).status).toBe(200);
    expect((await patch(id, 'completed')).body.status).toBe('completed');
  });

  it.each([['pending'], ['awaiting_packing'], ['packed'], ['shipped'], ['ready_for_pickup']])('allows cancelling from %s', async (from) => {
    const res = await patch(await orderIn(from), 'cancelled');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
  });

  it.each([
    ['pending', 'packed'],
    ['pending', 'completed'],
    ['awaiting_packing', 'shipped'],
    ['packed', 'pending'],
    ['pending', 'pending'],
    ['completed', 'cancelled'],
    ['completed', 'pending'],
    ['cancelled', 'pending'],
    ['cancelled', 'awaiting_packing'],
  ])('refuses %s → %s with 409 invalid_transition and leaves the order unchanged', async (from, to) => {
    const id = await orderIn(from);
    const before = (await ctx.client.get(`${ORDERS}/${id}`, { token: ctx.token })).body;

    const res = await patch(id, to);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'invalid_transition', message: expect.stringContaining(from) });
    expect((await ctx.client.get(`${ORDERS}/${id}`, { token: ctx.token })).body).toEqual(before);
  });

  it.each([['lost'], [''], [42], [null]])('refuses status %j with 400 invalid_status', async (status) => {
    const res = await patch('ORD_20260614_8v039dhnrv', status);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_status', message: expect.any(String) });
  });

  it('answers an unknown order with 404', async () => {
    const res = await patch<ErrorBody>('ORD_20260101_nothere000', 'packed');

    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it('moves the patched order between status filters of the list', async () => {
    const id = await orderIn('pending');
    const pendingBefore = (await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { status: 'pending' } })).body.pagination
      .total;

    await patch(id, 'awaiting_packing');
    const pendingAfter = (await ctx.client.get<OrderList>(ORDERS, { token: ctx.token, query: { status: 'pending' } })).body.pagination
      .total;

    expect(pendingAfter).toBe(pendingBefore - 1);
  });

  it('replays a status change under the same Idempotency-Key instead of answering 409', async () => {
    const id = await orderIn('pending');
    const first = await patch(id, 'awaiting_packing', { idempotencyKey: 'patch-1' });
    const replay = await patch(id, 'awaiting_packing', { idempotencyKey: 'patch-1' });

    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
  });

  it('refuses the same Idempotency-Key with a different body with 422 idempotency_key_reused', async () => {
    const id = await orderIn('pending');
    await patch(id, 'awaiting_packing', { idempotencyKey: 'patch-2' });

    const res = await patch<ErrorBody>(id, 'cancelled', { idempotencyKey: 'patch-2' });

    expect(res.status).toBe(422);
    expect(res.body.error).toBe('idempotency_key_reused');
    expect((await ctx.client.get<Order>(`${ORDERS}/${id}`, { token: ctx.token })).body.status).toBe('awaiting_packing');
  });
});
