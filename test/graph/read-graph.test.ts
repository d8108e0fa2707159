// The read graph end to end: gateway + sandbox over real HTTP. Each query asserts its data and
// the exact REST calls it made (the sandbox's call log), the gateway's main cost.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, ORG1_READONLY_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { GraphqlResponse, TestStack } from '../support/gateway.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
  // Warm the org1 token so each test's call log holds only the calls its query makes.
  const warm = await stack.gql('{ org(id: "org1") { id } }');
  expect(warm.body.errors).toBeUndefined();
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.clear());

type OrderIds = { org: { orders: { nodes: Array<{ id: string }> } } };
type Cents = { amount: string; cents: number };
// The mobile query's selection, as these tests expect it back.
type MobileData = {
  org: {
    orders: { totalCount: number; nodes: Array<{ id: string; items: Array<{ quantity: number; unitPrice: Cents; lineTotal: Cents }> }> };
  };
};
type ReportsData = {
  org: {
    reports: {
      dashboard: {
        prescriptions: unknown;
        shopPerformance: Array<{ shopId: string; totalRevenue: string }>;
        monthlyTrends: Array<{ month: string }>;
      };
      productPerformance: Array<{ revenue: string }>;
    };
  };
};
type PageData = {
  org: {
    orders: {
      totalCount: number;
      edges: Array<{ cursor: string; node: { id: string } }>;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    };
  };
};

const sorted = (lines: string[]) => [...lines].sort();

describe('the mobile query', () => {
  const MOBILE = `query Mobile {
    org(id: "org1") {
      orders(first: 20) {
        totalCount
        nodes {
          id status statusRaw paymentStatus customerName
          totalAmount { amount cents currency }
          shop { id name }
          items { name quantity p1Id unitPrice { amount cents } lineTotal { amount cents } }
        }
      }
    }
  }`;

  it('fetches 20 orders with items and shop names in 1 list + 20 details + 1 shops call', async () => {
    const res = await stack.gql<MobileData>(MOBILE);

    expect(res.body.errors).toBeUndefined();
    const { nodes, totalCount } = dataOf(res).org.orders;
    expect(totalCount).toBe(731);
    expect(nodes).toHaveLength(20);
    expect(nodes[0]).toEqual({
      id: 'ORD_20260614_8v039dhnrv',
      status: 'AWAITING_PACKING',
      statusRaw: 'awaiting_packing',
      paymentStatus: 'PENDING',
      customerName: 'Max Mustermann',
      totalAmount: { amount: '98.25', cents: 9825, currency: 'EUR' },
      shop: { id: 'shop1', name: 'Demo Shop DEV' },
      items: [
        {
          name: '24/1 IUVO KC OJ Zainbow',
          quantity: 11,
          p1Id: null,
          unitPrice: { amount: '8.75', cents: 875 },
          lineTotal: { amount: '96.25', cents: 9625 },
        },
      ],
    });
    const ids: string[] = nodes.map((order) => order.id);
    expect(sorted(restCalls(stack.sandbox))).toEqual(
      sorted(['GET /orders?limit=20&offset=0', 'GET /shops', ...ids.map((id) => `GET /orders/${id}`)]),
    );
  });

  it('computes every line total exactly in cents', async () => {
    const res = await stack.gql<MobileData>(MOBILE);
    for (const order of dataOf(res).org.orders.nodes) {
      for (const item of order.items) {
        expect(item.lineTotal.cents).toBe(item.quantity * item.unitPrice.cents);
        expect(item.lineTotal.amount).toBe((item.lineTotal.cents / 100).toFixed(2));
      }
    }
  });

  it('makes no detail call when no detail-only field is selected', async () => {
    const res = await stack.gql<{ org: { orders: { nodes: unknown[] } } }>(`{
      org(id: "org1") { orders(first: 20) { nodes { id status customerName totalAmount { amount } shop { name } createdAt } } }
    }`);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.orders.nodes).toHaveLength(20);
    expect(sorted(restCalls(stack.sandbox))).toEqual(['GET /orders?limit=20&offset=0', 'GET /shops']);
  });

  it('fetches each order detail once however many detail fields and aliases ask for it', async () => {
    const res = await stack.gql<{ org: { b: { shippingAddress: unknown } } }>(`{
      org(id: "org1") {
        a: order(id: "ORD_20260614_8v039dhnrv") { customerEmail }
        b: order(id: "ORD_20260614_8v039dhnrv") { items { name } shippingAddress { city postalCode } }
      }
    }`);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.b.shippingAddress).toEqual({ city: 'Berlin', postalCode: '10115' });
    expect(restCalls(stack.sandbox)).toEqual(['GET /orders/ORD_20260614_8v039dhnrv']);
  });
});

describe('orders → items → products', () => {
  it('reads one catalog per shop, however many lines point into it', async () => {
    const shop1 = await stack.gql<OrderIds>('{ org(id: "org1") { orders(first: 10, filter: { shopId: "shop1" }) { nodes { id } } } }');
    const shop2 = await stack.gql<OrderIds>('{ org(id: "org1") { orders(first: 10, filter: { shopId: "shop2" }) { nodes { id } } } }');
    const ids = [...dataOf(shop1).org.orders.nodes, ...dataOf(shop2).org.orders.nodes].map((o) => o.id);
    stack.sandbox.calls.clear();

    const fields = ids.map((id, i) => `o${i}: order(id: "${id}") { shopId items { p1Id product { p1Id shopId name price { amount } } } }`);
    const res = await stack.gql<{ org: Record<string, { shopId: string; items: Array<{ p1Id: string | null; product: unknown }> }> }>(
      `{ org(id: "org1") { ${fields.join('\n')} } }`,
    );

    expect(res.body.errors).toBeUndefined();
    const orders = Object.values(dataOf(res).org);
    const linked = orders.flatMap((order) => order.items.filter((item) => item.p1Id !== null).map((item) => ({ order, item })));
    expect(linked.length).toBeGreaterThan(10);
    for (const { order, item } of linked) {
      expect(item.product).toMatchObject({ p1Id: item.p1Id, shopId: order.shopId });
    }
    expect(sorted(restCalls(stack.sandbox))).toEqual(
      sorted([
        ...ids.map((id) => `GET /orders/${id}`),
        'GET /products?limit=100&offset=0&shop_id=shop1',
        'GET /products?limit=100&offset=0&shop_id=shop2',
      ]),
    );
  });
});

describe('the analyst dashboard', () => {
  it('serves the dashboard and product performance from one call each, plus one shops call', async () => {
    const res = await stack.gql<ReportsData>(`{
      org(id: "org1") {
        reports {
          dashboard {
            prescriptions { total pending approved completed declined }
            shopPerformance { shopId name orderCount totalRevenue uniqueCustomers shop { name } }
            monthlyTrends { month orderCount revenue }
          }
          productPerformance(limit: 5) { p1Id name unitsSold orderCount revenue }
        }
      }
    }`);

    expect(res.body.errors).toBeUndefined();
    const { dashboard, productPerformance } = dataOf(res).org.reports;
    expect(dashboard.prescriptions).toEqual({ total: 961, pending: 174, approved: 770, completed: 730, declined: 17 });
    const shop1 = dashboard.shopPerformance.find((row) => row.shopId === 'shop1');
    expect(shop1).toMatchObject({ name: 'Demo Shop DEV', orderCount: 696, shop: { name: 'Demo Shop DEV' } });
    expect(shop1?.totalRevenue).toMatch(/^\d+\.\d{2}$/);
    expect(dashboard.monthlyTrends.map((row) => row.month)).toContain('2026-06');
    expect(productPerformance).toHaveLength(5);
    const revenues = productPerformance.map((row) => Number(row.revenue));
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    expect(sorted(restCalls(stack.sandbox))).toEqual(
      sorted(['GET /reports/dashboard', 'GET /shops', 'GET /reports/product-performance?limit=5']),
    );
  });
});

describe('pagination', () => {
  it('walks forward through all 731 orders with opaque cursors, one list call per page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphqlResponse<PageData> = await stack.gql(
        `query Page($after: String) { org(id: "org1") { orders(first: 100, after: $after) {
          totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }`,
        { after },
      );
      expect(res.body.errors).toBeUndefined();
      const connection = dataOf(res).org.orders;
      expect(connection.totalCount).toBe(731);
      expect(connection.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...connection.edges.map((edge) => edge.node.id));
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }

    expect(pages).toBe(8);
    expect(seen).toHaveLength(731);
    expect(new Set(seen).size).toBe(731);
    expect(restCalls(stack.sandbox)).toEqual(
      [0, 100, 200, 300, 400, 500, 600, 700].map((offset) => `GET /orders?limit=100&offset=${offset}`),
    );
  });

  it('refuses a page size over 100 and a forged cursor before calling PharmaOne', async () => {
    const res = await stack.gql<{ org: unknown }>(
      '{ org(id: "org1") { big: orders(first: 101) { totalCount } forged: orders(after: "bm9wZQ") { totalCount } } }',
    );

    expect(dataOf(res).org).toEqual({ big: null, forged: null });
    const codes = (res.body.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code]);
    expect(codes).toEqual(
      expect.arrayContaining([
        ['org.big', 'BAD_USER_INPUT'],
        ['org.forged', 'BAD_USER_INPUT'],
      ]),
    );
    expect(restCalls(stack.sandbox)).toEqual([]);
  });

  it('passes filters to PharmaOne as query parameters', async () => {
    const res = await stack.gql<{ org: { orders: { nodes: unknown[] } } }>(`{ org(id: "org1") {
      orders(first: 5, filter: { status: COMPLETED, paymentStatus: PAID, shopId: "shop2" }) { totalCount nodes { status paymentStatus shop { id } } }
    } }`);

    expect(res.body.errors).toBeUndefined();
    for (const order of dataOf(res).org.orders.nodes) {
      expect(order).toEqual({ status: 'COMPLETED', paymentStatus: 'PAID', shop: { id: 'shop2' } });
    }
    expect(restCalls(stack.sandbox)).toContain('GET /orders?limit=5&offset=0&payment_status=paid&shop_id=shop2&status=completed');
  });
});

describe('errors', () => {
  it('answers an unknown order with null and NOT_FOUND while siblings are served', async () => {
    const res = await stack.gql<{ org: { order: unknown; shops: Array<{ id: string }> } }>(
      '{ org(id: "org1") { order(id: "ORD_20990101_nope000000") { id } shops { id } } }',
    );

    expect(dataOf(res).org.order).toBeNull();
    expect(dataOf(res).org.shops.map((shop) => shop.id)).toEqual(['shop1', 'shop2']);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['org', 'order'], extensions: { code: 'NOT_FOUND' } })]);
  });

  it('answers a missing scope with FORBIDDEN on that field only, without calling PharmaOne for it', async () => {
    await stack.gql('{ org(id: "org1") { id } }', undefined, { apikey: ORG1_READONLY_KEY });
    stack.sandbox.calls.clear();

    const readonly = await stack.gql<{ org: { shops: unknown[] } }>(
      '{ org(id: "org1") { shops { id } reports { dashboard { prescriptions { total } } } } }',
      undefined,
      {
        apikey: ORG1_READONLY_KEY,
      },
    );

    expect(dataOf(readonly).org.shops).toHaveLength(2);
    expect(readonly.body.errors).toEqual([
      expect.objectContaining({
        path: ['org', 'reports', 'dashboard'],
        extensions: { code: 'FORBIDDEN', requiredScope: 'reports:read' },
      }),
    ]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops']);
  });

  it('keeps the orders and the items that loaded when one detail call fails, without leaking upstream details', async () => {
    // Every attempt at the newest order's detail fails (reads are retried, so one 503 would not do).
    stack.sandbox.faults.set([
      { route: 'GET /api/v2/public/orgs/{org}/orders/{id}', pathPattern: '/ORD_20260614_8v039dhnrv$', errorRate: 1, errorStatus: 503 },
    ]);
    try {
      const res = await stack.gql<{ org: { orders: { nodes: Array<{ items: unknown[] | null }> } } }>(
        '{ org(id: "org1") { orders(first: 3) { nodes { id items { name } } } } }',
      );

      const nodes = dataOf(res).org.orders.nodes;
      expect(nodes).toHaveLength(3);
      const failed = nodes.findIndex((node) => node.items === null);
      expect(failed).toBeGreaterThanOrEqual(0);
      expect(nodes.filter((node) => node.items !== null && node.items.length > 0)).toHaveLength(2);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: ['org', 'orders', 'nodes', failed, 'items'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
        }),
      ]);
      expect(JSON.stringify(res.body.errors)).not.toMatch(/api\/v2|127\.0\.0\.1|Bearer|stack/i);
    } finally {
      stack.sandbox.faults.clear();
    }
  });

  it('refuses a request without a credential with HTTP 401 and no upstream call', async () => {
    const res = await stack.gql('{ org(id: "org1") { shops { id } } }', undefined, { apikey: null });

    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(restCalls(stack.sandbox)).toEqual([]);
  });

  it('answers an org the key does not belong to with UNAUTHENTICATED', async () => {
    const res = await stack.gql<{ org: unknown }>('{ org(id: "org2") { shops { id } } }');

    expect(dataOf(res).org).toBeNull();
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['org'], extensions: { code: 'UNAUTHENTICATED' } })]);
  });
});
