import { describe, expect, it } from 'vitest';
import { must } from '../support/must.ts';
import { manager, ORG1_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

type Dashboard = { data: RestSchema<'DashboardStats'> };
type Performance = RestSchema<'ProductPerformanceList'>;

const ctx = signedInSandbox();

const DASHBOARD = `${manager()}/reports/dashboard`;
const PERFORMANCE = `${manager()}/reports/product-performance`;

async function allOrderDetails() {
  const details: RestSchema<'OrderSummary'>[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await ctx.client.get<RestSchema<'OrderList'>>(`${manager()}/orders`, { token: ctx.token, query: { limit: 100, offset } });
    for (const summary of page.body.data) details.push(summary);
    if (offset + 100 >= page.body.pagination.total) return details;
  }
}

describe('dashboard (§13)', () => {
  it("reproduces the seed's prescription block and shop1's order count and customers", async () => {
    const res = await ctx.client.get<Dashboard>(DASHBOARD, { token: ctx.token });

    expect(res.status).toBe(200);
    expect(res.body.data.prescriptions).toEqual({ total: 961, pending: 174, approved: 770, completed: 730, declined: 17 });
    expect(res.body.data.shop_performance).toEqual([
      { shop_id: 'shop1', name: 'Demo Shop DEV', order_count: 696, total_revenue: expect.any(Number), unique_customers: 32 },
      {
        shop_id: 'shop2',
        name: 'Stadt-Apotheke Demo',
        order_count: 35,
        total_revenue: expect.any(Number),
        unique_customers: expect.any(Number),
      },
    ]);
    expect(res.body.data.monthly_trends[0]).toEqual({ month: '2026-06', order_count: 34, revenue: expect.any(Number) });
  });

  it('computes revenue from the orders: not-cancelled totals per shop and per month, newest month first', async () => {
    const orders = await allOrderDetails();
    const res = await ctx.client.get<Dashboard>(DASHBOARD, { token: ctx.token });

    const cents = (rows: RestSchema<'OrderSummary'>[]) =>
      rows.filter((o) => o.status !== 'cancelled').reduce((sum, o) => sum + Math.round(o.total_amount * 100), 0);
    for (const shop of res.body.data.shop_performance) {
      expect(shop.total_revenue).toBe(cents(orders.filter((o) => o.shop_id === shop.shop_id)) / 100);
    }
    const months = res.body.data.monthly_trends.map((trend) => trend.month);
    expect(months).toEqual(['2026-06', '2026-05', '2026-04', '2026-03', '2026-02', '2026-01']);
    for (const trend of res.body.data.monthly_trends) {
      const inMonth = orders.filter((o) => o.created_at.startsWith(trend.month));
      expect(trend).toEqual({ month: trend.month, order_count: inMonth.length, revenue: cents(inMonth) / 100 });
    }
  });

  it('recomputes after writes: a new order and a cancellation change the figures', async () => {
    const before = (await ctx.client.get<Dashboard>(DASHBOARD, { token: ctx.token })).body.data;
    const created = await ctx.client.post<RestSchema<'OrderRequest'>>(`${manager()}/order-requests`, {
      token: ctx.token,
      json: {
        shop_id: 'shop2',
        payload: { customer_name: 'Neu Kunde', customer_email: 'neu.kunde@example.com', items: [{ name: 'X', quantity: 11, price: 8.75 }] },
      },
    });
    const afterCreate = (await ctx.client.get<Dashboard>(DASHBOARD, { token: ctx.token })).body.data;
    await ctx.client.patch(`${manager()}/orders/${created.body.order_id}/status`, { token: ctx.token, json: { status: 'cancelled' } });
    const afterCancel = (await ctx.client.get<Dashboard>(DASHBOARD, { token: ctx.token })).body.data;

    const shop2 = (data: RestSchema<'DashboardStats'>) =>
      must(
        data.shop_performance.find((shop) => shop.shop_id === 'shop2'),
        'shop2 in the dashboard',
      );
    expect(shop2(afterCreate)).toEqual({
      ...shop2(before),
      order_count: 36,
      total_revenue: Math.round(shop2(before).total_revenue * 100 + 9625) / 100,
      unique_customers: shop2(before).unique_customers + 1,
    });
    expect(shop2(afterCancel).total_revenue).toBe(shop2(before).total_revenue);
    expect(shop2(afterCancel).order_count).toBe(36);
    // The new order is in the current month, wherever the clock stands.
    expect(afterCreate.monthly_trends[0]?.month).toBe(created.body.created_at.slice(0, 7));
  });

  it('needs reports:read', async () => {
    const res = await ctx.client.get<RestSchema<'ScopeError'>>(DASHBOARD, { token: await ctx.client.token('sandbox-org1-readonly') });

    expect(res.status).toBe(403);
    expect(res.body.required_scope).toBe('reports:read');
  });
});

describe('product performance (§14)', () => {
  it('ranks catalog products by revenue from not-cancelled orders, at most limit rows', async () => {
    const res = await ctx.client.get<Performance>(PERFORMANCE, { token: ctx.token, query: { limit: 5 } });

    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(5);
    const revenues = res.body.data.map((row) => row.revenue);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    for (const row of res.body.data) {
      expect(row).toEqual({
        p1_id: expect.stringMatching(/^P1-\d{6}$/),
        name: expect.any(String),
        units_sold: expect.any(Number),
        order_count: expect.any(Number),
        revenue: expect.any(Number),
      });
      expect(row.units_sold).toBeGreaterThanOrEqual(row.order_count);
    }
  });

  it('defaults to 20 rows and rejects a limit outside 1–100', async () => {
    expect((await ctx.client.get<Performance>(PERFORMANCE, { token: ctx.token })).body.data).toHaveLength(20);
    expect((await ctx.client.get(PERFORMANCE, { token: ctx.token, query: { limit: 101 } })).status).toBe(400);
  });

  it('counts new order lines with a p1_id, in exact cents', async () => {
    const before = (await ctx.client.get<Performance>(PERFORMANCE, { token: ctx.token, query: { limit: 100 } })).body.data;
    const row = must(
      before.find((candidate) => candidate.p1_id === 'P1-000101'),
      'P1-000101 in the ranking',
    );
    await ctx.client.post('/api/v1/public/orgs/org1/order-requests', {
      apikey: ORG1_KEY,
      json: {
        shop_id: 'shop1',
        payload: {
          customer_name: 'Max Mustermann',
          customer_email: 'max@example.com',
          items: [
            { name: 'Cannabis flos 27/1', quantity: 7, price: 5.1, p1_id: 'P1-000101' },
            { name: 'Ohne Katalog', quantity: 1, price: 3 },
          ],
        },
      },
    });
    const after = (await ctx.client.get<Performance>(PERFORMANCE, { token: ctx.token, query: { limit: 100 } })).body.data;

    expect(after.find((candidate) => candidate.p1_id === 'P1-000101')).toEqual({
      ...row,
      units_sold: row.units_sold + 7,
      order_count: row.order_count + 1,
      revenue: Math.round(row.revenue * 100 + 3570) / 100,
    });
    expect(after.some((candidate) => candidate.name === 'Ohne Katalog')).toBe(false);
  });
});
