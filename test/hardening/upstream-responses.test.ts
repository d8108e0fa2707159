// Hardening classes 12 and 13: a malformed or oversized PharmaOne answer is PharmaOne's fault,
// reported as UPSTREAM_UNAVAILABLE with a reason (never INTERNAL_SERVER_ERROR), and upstream numbers
// (a pagination total of 10⁹, a 100 MB body) never drive unbounded work: pages per read and body
// bytes are capped, and /healthz keeps answering meanwhile.
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, startStack, stackFixture } from '../support/gateway.ts';
import type { OrderIds } from '../support/gateway.ts';

const SHOPS_ROUTE = 'GET /api/v2/public/orgs/{org}/shops';
const ORDER_ROUTE = 'GET /api/v2/public/orgs/{org}/orders/{id}';
const ORDERS_ROUTE = 'GET /api/v2/public/orgs/{org}/orders';
const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';

const MALFORMED: Array<[string, { body?: unknown; contentType?: string; status?: number }]> = [
  ['truncated JSON', { body: '{"data": [{"id": "shop1", "na' }],
  ['200 text/html', { body: '<html><body>Maintenance</body></html>', contentType: 'text/html' }],
  ['{"data":"oops"}', { body: { data: 'oops' } }],
  ['{"data":[null]}', { body: { data: [null] } }],
  ['an empty body', {}],
  ['JSON null', { body: 'null' }],
  ['a JSON array', { body: [] }],
  ['rows that are not objects', { body: { data: [1, 'two'] } }],
  ['JSON under a non-JSON content type', { body: { data: [] }, contentType: 'text/plain' }],
];

const stack = stackFixture({ env: { UPSTREAM_MAX_BODY_BYTES: String(4 * 1024 * 1024) } });
beforeEach(async () => {
  stack.sandbox.faults.clear();
  await stack.gql('{ org(id: "org1") { id } }');
  stack.sandbox.calls.clear();
});

function errorCodes(res: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }) {
  return res.body.errors?.map((e) => ({ code: e.extensions?.code, reason: e.extensions?.reason }));
}

describe('a malformed answer', () => {
  it.each(MALFORMED)('to GET /shops (%s) is UPSTREAM_UNAVAILABLE invalid_response on that field only', async (_, respond) => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, respond }]);

    const res = await stack.gql<{ org: { reports: { dashboard: { prescriptions: { total: number } } } } }>(
      '{ org(id: "org1") { shops { id } reports { dashboard { prescriptions { total } } } } }',
    );

    expect(errorCodes(res)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' }]);
    expect(res.body.errors?.[0]?.path).toEqual(['org', 'shops']);
    expect(dataOf(res).org.reports.dashboard.prescriptions.total).toBe(961);
    // Not retried: the same malformed answer would come back.
    expect(restCalls(stack.sandbox).filter((call) => call === 'GET /shops')).toHaveLength(1);
  });

  it.each(MALFORMED)('to GET /orders/{id} (%s) is UPSTREAM_UNAVAILABLE invalid_response', async (_, respond) => {
    stack.sandbox.faults.set([{ route: ORDER_ROUTE, respond }]);

    const res = await stack.gql('{ org(id: "org1") { order(id: "ORD_20260614_8v039dhnrv") { id customerEmail } } }');

    expect(errorCodes(res)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' }]);
  });

  it.each(MALFORMED)('to the token exchange (%s) is UPSTREAM_UNAVAILABLE invalid_response', async (_, respond) => {
    const fresh = await startStack();
    try {
      fresh.sandbox.faults.set([{ route: TOKEN_ROUTE, respond }]);

      const res = await fresh.gql('{ org(id: "org1") { id } }');

      expect(errorCodes(res)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' }]);
    } finally {
      await fresh.close();
    }
  });

  it('leaves neither the crafted text in the response nor in the logs', async () => {
    const canary = 'canary-leak@example.com https://internal.pharmaone.invalid/admin';
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, respond: { body: `<html>${canary}</html>`, contentType: 'text/html' } }]);

    const res = await stack.gql('{ org(id: "org1") { shops { id } } }');

    expect(JSON.stringify(res.body)).not.toContain('canary-leak');
    expect(stack.logText()).not.toContain('canary-leak');
  });
});

describe('a list answer longer than the page asked for', () => {
  it('is cut to the page: PharmaOne sends 5 rows for limit 2, the client sees 2', async () => {
    const real = await stack.gql<{ org: OrderIds }>('{ org(id: "org1") { orders(first: 5) { nodes { id } } } }');
    const fivePage = (await fetchRaw(`/api/v2/public/orgs/org1/orders?limit=5&offset=0`)) as { data: unknown[] };
    stack.sandbox.faults.set([
      { route: ORDERS_ROUTE, respond: { body: { data: fivePage.data, pagination: { limit: 2, offset: 0, total: 731 } } } },
    ]);

    const res = await stack.gql<{ org: OrderIds & { orders: { edges: unknown[] } } }>(
      '{ org(id: "org1") { orders(first: 2) { nodes { id } edges { cursor } } } }',
    );

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.orders.nodes).toEqual(dataOf(real).org.orders.nodes.slice(0, 2));
    expect(dataOf(res).org.orders.edges).toHaveLength(2);
  });
});

describe('a row with one odd scalar', () => {
  it('is not a malformed page: the shape check leaves leaf values to the field that reads them', async () => {
    const page = (await fetchRaw('/api/v2/public/orgs/org1/orders?limit=3&offset=0')) as {
      data: Array<Record<string, unknown>>;
      pagination: unknown;
    };
    page.data[1] = { ...page.data[1], total_amount: 'abc', created_at: 'Erika Musterfrau, Hauptstr. 1' };
    stack.sandbox.faults.set([{ route: ORDERS_ROUTE, respond: { body: page } }]);

    const res = await stack.gql<{ org: OrderIds }>('{ org(id: "org1") { orders(first: 3) { nodes { id } } } }');

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.orders.nodes.map((node) => node.id)).toEqual(page.data.map((row) => row.id));
  });
});

describe('upstream numbers that would drive unbounded work', () => {
  it('reads at most UPSTREAM_MAX_PAGES_PER_READ pages of a stock list claiming 10⁹ rows, and /healthz answers meanwhile', async () => {
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/inventory', paginationTotal: 1e9 }]);
    const rssBefore = process.memoryUsage().rss;

    const query = stack.gql<{ org: { shop: { products: { nodes: unknown[] } } } }>(
      '{ org(id: "org1") { shop(id: "shop1") { products(first: 3) { nodes { p1Id stock { quantity } } } } } }',
    );
    const health = await healthzWhile(query);
    const res = await query;

    const inventoryReads = restCalls(stack.sandbox).filter((call) => call.startsWith('GET /inventory'));
    expect(inventoryReads).toHaveLength(20);
    expect(dataOf(res).org.shop.products.nodes).toHaveLength(3);
    for (const status of health) expect(status).toBe(200);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('stops reading a 100 MB body at UPSTREAM_MAX_BODY_BYTES (too_large), with /healthz answering and RSS bounded', async () => {
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/products', respond: { bodyBytes: 100 * 1024 * 1024 } }]);
    const rssBefore = process.memoryUsage().rss;

    const query = stack.gql<{ org: { shop: { name: string } } }>(
      '{ org(id: "org1") { shop(id: "shop1") { name products(first: 5) { nodes { name } } } } }',
    );
    const health = await healthzWhile(query);
    const res = await query;

    expect(errorCodes(res)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason: 'too_large' }]);
    expect(dataOf(res).org.shop.name).toBe('Demo Shop DEV');
    for (const status of health) expect(status).toBe(200);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a declared content-length past the cap before reading it', async () => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, respond: { body: { data: [], padding: 'x'.repeat(5 * 1024 * 1024) } } }]);

    const res = await stack.gql('{ org(id: "org1") { shops { id } } }');

    expect(errorCodes(res)).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', reason: 'too_large' }]);
  });
});

/** Polls /healthz until `work` settles; every answer's status. */
async function healthzWhile(work: Promise<unknown>): Promise<number[]> {
  let done = false;
  void work.finally(() => {
    done = true;
  });
  const statuses: number[] = [];
  while (!done || statuses.length === 0) {
    const res = await request(stack.gateway.url.replace('/graphql', '/healthz'), { headersTimeout: 2_000, bodyTimeout: 2_000 });
    await res.body.text();
    statuses.push(res.statusCode);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return statuses;
}

async function fetchRaw(path: string): Promise<unknown> {
  const token = await request(`${stack.sandbox.url}/api/v2/public/orgs/org1/auth/token`, {
    method: 'POST',
    headers: { apikey: 'sandbox-org1-key' },
  });
  const { access_token } = (await token.body.json()) as { access_token: string };
  const res = await request(`${stack.sandbox.url}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
  return res.body.json();
}
