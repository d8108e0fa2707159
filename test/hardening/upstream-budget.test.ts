// Hardening class 3 (run-time part): the operation's call budget counts every HTTP request the
// operation causes — attempts, retries, token exchanges — so PharmaOne never sees more calls than
// the budget, even with 30 % of its answers failing. A refused token exchange is remembered for a
// while, one operation makes at most one refused exchange per credential, and it may start only a
// few exchanges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startStack, stackFixture } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';

describe('the call budget under a 30 % 503 fault', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Assume 1 shop per org so the estimate (7 calls) passes a budget of 10; org1 has 2 shops.
    stack = await startStack({
      env: { UPSTREAM_CALL_BUDGET: '10', UPSTREAM_BUDGET_SHOPS_PER_ORG: '1', UPSTREAM_RETRY_BUDGET_MIN_RETRIES: '1000' },
    });
  });
  afterAll(() => stack.close());

  it.each([1, 2, 3, 4, 5, 6])('never lets PharmaOne see more HTTP calls than the budget (run %i: cold token, retries)', async () => {
    // A revoked token costs a 401, a fresh exchange and a resend: all counted.
    stack.sandbox.revokeTokens();
    stack.sandbox.faults.set([{ errorRate: 0.3, errorStatus: 503 }]);
    stack.sandbox.calls.clear();

    const res = await stack.gql('{ org(id: "org1") { shops { orders(first: 5) { nodes { items { name } } } } } }');

    expect(stack.sandbox.calls.list().length).toBeLessThanOrEqual(10);
    expect(res.status).toBe(200);
  });

  it('counts the same calls the sandbox saw, retries and the exchange included', async () => {
    const debug = await startStack({ env: { GATEWAY_DEBUG_UPSTREAM: 'true', UPSTREAM_RETRY_BUDGET_MIN_RETRIES: '1000' } });
    try {
      debug.sandbox.faults.set([
        { route: TOKEN_ROUTE, errorRate: 1, errorStatus: 503, times: 1 },
        { route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 503, times: 2 },
      ]);

      const res = await debug.gql<{ org: { shops: unknown[] } }>('{ org(id: "org1") { shops { id } } }');

      expect(dataOf(res).org.shops).toHaveLength(2);
      expect(res.body.extensions?.upstream?.httpCalls).toBe(debug.sandbox.calls.list().length);
      expect(debug.sandbox.calls.list().map((call) => call.status)).toEqual([503, 200, 503, 503, 200]);
    } finally {
      await debug.close();
    }
  });
});

describe('token exchanges a bad credential can cause', () => {
  const stack = stackFixture({ env: { UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION: '3', TOKEN_NEGATIVE_CACHE_MS: '5000' } });

  it('30 aliased org lookups with a garbage key cost one exchange, and a repeat within seconds none', async () => {
    stack.sandbox.calls.clear();
    const aliases = Array.from({ length: 30 }, (_, i) => `o${i}: org(id: "org1") { id }`).join(' ');

    const first = await stack.gql(`{ ${aliases} }`, undefined, { apikey: 'garbage-key' });
    const second = await stack.gql(`{ ${aliases} }`, undefined, { apikey: 'garbage-key' });

    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE })).toHaveLength(1);
    for (const res of [first, second]) {
      expect(new Set(res.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['UNAUTHENTICATED']));
    }
  });

  it('30 distinct orgs with a garbage key cost one refused exchange: the other 29 are refused without asking', async () => {
    stack.sandbox.calls.clear();
    const aliases = Array.from({ length: 30 }, (_, i) => `o${i}: org(id: "nope${i}") { id }`).join(' ');

    const res = await stack.gql(`{ ${aliases} }`, undefined, { apikey: 'other-garbage-key' });

    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE })).toHaveLength(1);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(Array.from({ length: 30 }, () => 'UNAUTHENTICATED'));
  });

  it('30 distinct orgs whose exchanges fail without a refusal start at most UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION exchanges', async () => {
    // A 404 is neither a token nor a refusal: each org is tried, until the operation's exchange limit.
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, errorRate: 1, errorStatus: 404 }]);
    stack.sandbox.calls.clear();
    const aliases = Array.from({ length: 30 }, (_, i) => `o${i}: org(id: "gone${i}") { id }`).join(' ');

    const res = await stack.gql(`{ ${aliases} }`, undefined, { apikey: 'sandbox-org1-key' });
    stack.sandbox.faults.clear();

    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE })).toHaveLength(3);
    const codes = res.body.errors?.map((e) => e.extensions?.code) ?? [];
    expect(codes.filter((code) => code === 'QUERY_TOO_EXPENSIVE')).toHaveLength(27);
    expect(codes.filter((code) => code === 'NOT_FOUND')).toHaveLength(3);
  });

  it('does not remember an outage: a 503 exchange is tried again by the next request', async () => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, errorRate: 1, errorStatus: 503, times: 3 }]);
    stack.sandbox.calls.clear();

    const failed = await stack.gql('{ org(id: "org2") { id } }', undefined, { apikey: 'sandbox-org2-key' });
    const served = await stack.gql<{ org: unknown }>('{ org(id: "org2") { id } }', undefined, { apikey: 'sandbox-org2-key' });

    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(dataOf(served).org).toEqual({ id: 'org2' });
  });
});
