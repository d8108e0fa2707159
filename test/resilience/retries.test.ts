// Retries of idempotent reads against the sandbox's fault knobs: which failures are retried, how
// long the gateway waits, and that writes are sent exactly once. Attempts are counted from the
// sandbox's call log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { TestStack } from '../support/gateway.ts';

const SHOPS_ROUTE = 'GET /api/v2/public/orgs/{org}/shops';
const SHOPS = '{ org(id: "org1") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };
type UserErrorsOf<Field extends string> = Record<Field, { userErrors: unknown[] }>;

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
  await stack.gql(SHOPS);
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.reset());

function statuses(route: string): Array<number | string | null> {
  return stack.sandbox.calls.list({ route }).map((call) => call.status);
}

describe('reads (GET)', () => {
  it('serves the data after 503 twice, in exactly three attempts', async () => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 503, times: 2 }]);

    const res = await stack.gql<ShopsData>(SHOPS);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.shops).toEqual([{ id: 'shop1' }, { id: 'shop2' }]);
    expect(statuses(SHOPS_ROUTE)).toEqual([503, 503, 200]);
  });

  it('waits at least the Retry-After of a 429 before the next attempt', async () => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, rateLimitRate: 1, retryAfterSeconds: 1, times: 1 }]);

    const res = await stack.gql<ShopsData>(SHOPS);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.shops).toHaveLength(2);
    const [limited, retried] = stack.sandbox.calls.list({ route: SHOPS_ROUTE });
    expect([limited?.status, retried?.status]).toEqual([429, 200]);
    expect(Date.parse(must(retried, 'the retried call').at) - Date.parse(must(limited, 'the limited call').at)).toBeGreaterThanOrEqual(
      1_000,
    );
  });

  it('retries a connection reset', async () => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, resetRate: 1, times: 1 }]);

    const res = await stack.gql<ShopsData>(SHOPS);

    expect(dataOf(res).org.shops).toHaveLength(2);
    expect(statuses(SHOPS_ROUTE)).toEqual(['reset', 200]);
  });

  it('gives up after three attempts with UPSTREAM_UNAVAILABLE on that field only', async () => {
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 502 }]);

    const res = await stack.gql<{ org: unknown }>('{ org(id: "org1") { id shops { id } } }');

    expect(dataOf(res).org).toEqual({ id: 'org1', shops: null });
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['org', 'shops'], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 502 } }),
    ]);
    expect(statuses(SHOPS_ROUTE)).toEqual([502, 502, 502]);
  });

  it('does not retry a 404 or a 403: they are answers, not failures', async () => {
    const missing = await stack.gql<{ org: { order: unknown } }>('{ org(id: "org1") { order(id: "ORD_20990101_missing") { id } } }');
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 403 }]);
    const forbidden = await stack.gql(SHOPS);

    expect(dataOf(missing).org.order).toBeNull();
    expect(forbidden.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /orders/ORD_20990101_missing', 'GET /shops']);
  });
});

describe('writes (POST, PATCH)', () => {
  const customer = { name: 'Max Mustermann', email: 'max@example.com' };
  const items = [{ name: 'Cannabis flos 27/1', quantity: 1, unitPrice: '5.10' }];

  it('sends a POST exactly once on 503, and says the outcome is unknown', async () => {
    const route = 'POST /api/v2/public/orgs/{org}/order-requests';
    stack.sandbox.faults.set([{ route, errorRate: 1, errorStatus: 503 }]);

    const res = await stack.gql<UserErrorsOf<'submitOrderRequest'>>(
      'mutation($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { userErrors { code } } }',
      {
        i: { orgId: 'org1', shopId: 'shop1', customer, items },
      },
    );

    expect(dataOf(res).submitOrderRequest.userErrors).toEqual([{ code: 'OUTCOME_UNKNOWN' }]);
    expect(statuses(route)).toEqual([503]);
  });

  it('sends a PATCH exactly once on a reset or a 429', async () => {
    const route = 'PATCH /api/v2/public/orgs/{org}/orders/{id}/status';
    stack.sandbox.faults.set([
      { route, resetRate: 1, times: 1 },
      { route, rateLimitRate: 1, retryAfterSeconds: 0 },
    ]);
    const patch = () =>
      stack.gql<UserErrorsOf<'updateOrderStatus'>>(
        'mutation($i: UpdateOrderStatusInput!) { updateOrderStatus(input: $i) { userErrors { code } } }',
        {
          i: { orgId: 'org1', orderId: 'ORD_20260614_8v039dhnrv', status: 'PACKED' },
        },
      );

    const reset = await patch();
    const limited = await patch();

    expect(dataOf(reset).updateOrderStatus.userErrors).toEqual([{ code: 'OUTCOME_UNKNOWN' }]);
    expect(dataOf(limited).updateOrderStatus.userErrors).toEqual([{ code: 'UPSTREAM_UNAVAILABLE' }]);
    expect(statuses(route)).toEqual(['reset', 429]);
  });
});

describe('retry budget', () => {
  it('stops retrying once the budget is spent, so a sick upstream sees one call per read', async () => {
    const budgeted = await startStack({ env: { UPSTREAM_RETRY_BUDGET_MIN_RETRIES: '2', UPSTREAM_RETRY_BUDGET_PERCENT: '0' } });
    try {
      await budgeted.gql(SHOPS);
      budgeted.sandbox.calls.clear();
      budgeted.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 503 }]);

      for (let i = 0; i < 3; i++) await budgeted.gql(SHOPS);

      // The first read spends both retries; the next two get one attempt each.
      expect(budgeted.sandbox.calls.list({ route: SHOPS_ROUTE })).toHaveLength(5);
    } finally {
      await budgeted.close();
    }
  });
});

describe('token exchange', () => {
  it('is retried like a read (it changes nothing), so requests waiting on it do not all fail', async () => {
    const fresh = await startStack();
    try {
      fresh.sandbox.faults.set([{ route: 'POST /api/v2/public/orgs/{org}/auth/token', errorRate: 1, errorStatus: 503, times: 1 }]);

      const results = await Promise.all(Array.from({ length: 3 }, () => fresh.gql(SHOPS)));

      for (const res of results) expect(res.body.errors).toBeUndefined();
      expect(fresh.sandbox.calls.list({ route: 'POST /api/v2/public/orgs/{org}/auth/token' }).map((call) => call.status)).toEqual([
        503, 200,
      ]);
    } finally {
      await fresh.close();
    }
  });
});
