// The response cache over HTTP: hits are visible as upstream calls that do not happen (the sandbox's
// call log), entries belong to one credential, responses with an uncached field are not stored,
// and a credential's mutation drops its entries, including an answer computed while it ran.
// The cache outlives requests and tests, so every test asks its own query.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { GraphqlResponse, TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ env: { RESPONSE_CACHE_MB: '16' } });
  // Cached JWTs keep token exchanges out of the call logs below.
  await stack.gql('{ org(id: "org1") { id orders(first: 1) { totalCount } } }', undefined, { apikey: ORG1_KEY });
  await stack.gql('{ org(id: "org1") { id orders(first: 1) { totalCount } } }', undefined, { apikey: ORG1_READONLY_KEY });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
});

const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { id } userErrors { code } }
}`;
const orderInput = {
  orgId: 'org1',
  shopId: 'shop1',
  customer: { name: 'Max Mustermann', email: 'max@example.com', address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115' } },
  items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
};
type DashboardData = { org: { reports: { dashboard: { shopPerformance: Array<{ shopId: string; orderCount: number }> } } } };
const shop1Orders = (res: GraphqlResponse<DashboardData>): number =>
  must(
    dataOf(res).org.reports.dashboard.shopPerformance.find((row) => row.shopId === 'shop1'),
    'shop1 in the dashboard',
  ).orderCount;

describe('the response cache', () => {
  it('serves a second identical query from the cache, without upstream calls, for the smallest max-age selected', async () => {
    const query = '{ org(id: "org1") { shops { id name } reports { dashboard { prescriptions { total } } } } }';
    const first = await stack.gql<{ org: { shops: unknown[] } }>(query);
    const second = await stack.gql(query);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops', 'GET /reports/dashboard']);
    expect(second.body).toEqual(first.body);
    expect(dataOf(first).org.shops).toHaveLength(2);
    // Shops allow 300 s, reports 60 s: the response lives 60 s, for this caller only.
    expect([first.headers['cache-control'], second.headers['cache-control']]).toEqual(['max-age=60, private', 'max-age=60, private']);
    expect(second.headers.age).toMatch(/^\d+$/);
  });

  it("never serves one credential's cached response to another credential", async () => {
    const query = '{ org(id: "org1") { shops { id url } } }';
    const owner = await stack.gql(query, undefined, { apikey: ORG1_KEY });
    const other = await stack.gql(query, undefined, { apikey: ORG1_READONLY_KEY });
    const ownerAgain = await stack.gql(query, undefined, { apikey: ORG1_KEY });
    expect([other.body, ownerAgain.body]).toEqual([owner.body, owner.body]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops', 'GET /shops']);
    expect(stack.sandbox.calls.list().map((call) => call.path.endsWith('/shops') && call.status)).toEqual([200, 200]);
  });

  it('does not store a response that selects an uncached field (orders change all the time)', async () => {
    const query = '{ org(id: "org1") { shops { id } orders(first: 1) { totalCount } } }';
    const first = await stack.gql(query);
    await stack.gql(query);
    expect(first.headers['cache-control']).toBe('no-store');
    // Sorted: one operation's two reads run in parallel.
    expect(restCalls(stack.sandbox).sort()).toEqual([
      'GET /orders?limit=1&offset=0',
      'GET /orders?limit=1&offset=0',
      'GET /shops',
      'GET /shops',
    ]);
  });

  it("drops the credential's cached responses when it sends a mutation", async () => {
    const query = '{ org(id: "org1") { reports { dashboard { shopPerformance { shopId orderCount } } } } }';
    const before = await stack.gql<DashboardData>(query);
    await stack.gql(query);
    const submitted = await stack.gql<{ submitOrderRequest: { userErrors: unknown[] } }>(SUBMIT, { input: orderInput });
    expect(dataOf(submitted).submitOrderRequest.userErrors).toEqual([]);
    const after = await stack.gql<DashboardData>(query);
    expect(shop1Orders(after)).toBe(shop1Orders(before) + 1);
    // The mutation checks the shop (GET /shops) before it writes.
    expect(restCalls(stack.sandbox)).toEqual(['GET /reports/dashboard', 'GET /shops', 'POST /order-requests', 'GET /reports/dashboard']);
  });

  it("does not store an answer computed while the same credential's mutation finished", async () => {
    const query = '{ org(id: "org1") { reports { dashboard { shopPerformance { shopId name orderCount } } } } }';
    // The report read is slow, so the mutation lands after it started and finishes before it ends.
    stack.sandbox.faults.add({ route: 'GET /api/v2/public/orgs/{org}/reports/dashboard', latencyMs: 400, times: 1 });
    const slowRead = stack.gql(query);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stack.gql(SUBMIT, { input: orderInput });
    await slowRead;
    await stack.gql(query);
    // The read arrived before the write, and the repeat goes upstream again: the first answer was not stored.
    expect(restCalls(stack.sandbox).filter((call) => call !== 'GET /shops')).toEqual([
      'GET /reports/dashboard',
      'POST /order-requests',
      'GET /reports/dashboard',
    ]);
  });
});
