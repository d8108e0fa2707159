// The token broker against the real sandbox: one exchange per credential however many requests
// wait, refresh before expiry, one refresh-and-retry on a 401, and a clean error when it persists.
import { afterEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const SHOPS = '{ org(id: "org1") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };

describe('token broker', () => {
  it('makes exactly one token exchange for 200 concurrent requests on a cold credential', async () => {
    stack = await startStack();
    const { gql } = stack;

    const responses = await Promise.all(Array.from({ length: 200 }, () => gql<ShopsData>(SHOPS)));

    for (const res of responses) {
      expect(res.body.errors).toBeUndefined();
      expect(dataOf(res).org.shops).toEqual([{ id: 'shop1' }, { id: 'shop2' }]);
    }
    const calls = restCalls(stack.sandbox);
    expect(calls.filter((call) => call === 'POST /auth/token')).toHaveLength(1);
    expect(calls.filter((call) => call === 'GET /shops')).toHaveLength(200);
    expect(calls[0]).toBe('POST /auth/token');
  });

  it('replaces a token before it expires, so the client never sees the expiry', async () => {
    // The broker's clock is the test's: it moves past the refresh point (an hour's token, renewed
    // 60 s before it ends) without waiting, and PharmaOne's real clock still accepts both tokens.
    let clockMs = Date.now();
    stack = await startStack({ gateway: { tokenClock: () => clockMs } });

    const first = await stack.gql(SHOPS);
    clockMs += 3_600_000 - 30_000;
    const second = await stack.gql(SHOPS);

    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    expect(restCalls(stack.sandbox)).toEqual(['POST /auth/token', 'GET /shops', 'POST /auth/token', 'GET /shops']);
    expect(stack.sandbox.calls.list().every((call) => call.status === 200)).toBe(true);
  });

  it('refreshes once and retries once when PharmaOne refuses a cached token', async () => {
    stack = await startStack();
    await stack.gql(SHOPS);
    stack.sandbox.calls.clear();
    stack.sandbox.revokeTokens();

    const res = await stack.gql<ShopsData>(SHOPS);

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res).org.shops).toHaveLength(2);
    expect(stack.sandbox.calls.list().map((call) => `${call.method} ${call.route} ${call.status}`)).toEqual([
      'GET GET /api/v2/public/orgs/{org}/shops 401',
      'POST POST /api/v2/public/orgs/{org}/auth/token 200',
      'GET GET /api/v2/public/orgs/{org}/shops 200',
    ]);
  });

  it('gives up with UNAUTHENTICATED when the 401 persists after the refresh', async () => {
    stack = await startStack();
    await stack.gql(SHOPS);
    stack.sandbox.calls.clear();
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 401 }]);

    const res = await stack.gql<ShopsData>(SHOPS);

    expect(dataOf(res).org.shops).toBeNull();
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['org', 'shops'], extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops', 'POST /auth/token', 'GET /shops']);
  });

  it('never caches a failed exchange: the next request tries again', async () => {
    // One attempt per exchange, so the 503 reaches the broker (test/resilience covers the retries).
    stack = await startStack({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1' } });
    stack.sandbox.faults.set([{ route: 'POST /api/v2/public/orgs/{org}/auth/token', errorRate: 1, errorStatus: 503, times: 1 }]);

    const failed = await stack.gql(SHOPS);
    const recovered = await stack.gql(SHOPS);

    expect(failed.body.errors).toEqual([
      expect.objectContaining({ path: ['org'], extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }) }),
    ]);
    expect(recovered.body.errors).toBeUndefined();
    expect(restCalls(stack.sandbox)).toEqual(['POST /auth/token', 'POST /auth/token', 'GET /shops']);
  });

  it('lists the orgs and scopes the credential holds tokens for in viewer', async () => {
    stack = await startStack();
    await stack.gql(SHOPS, undefined, { apikey: 'sandbox-org1-readonly' });

    const res = await stack.gql<{ viewer: unknown }>('{ viewer { mode orgs { id scopes } } }', undefined, {
      apikey: 'sandbox-org1-readonly',
    });
    const other = await stack.gql<{ viewer: { orgs: unknown } }>('{ viewer { orgs { id } } }');

    expect(dataOf(res).viewer).toEqual({
      mode: 'PASS_THROUGH',
      orgs: [{ id: 'org1', scopes: ['shops:read', 'orders:read', 'prescriptions:read', 'inventory:read', 'products:read'] }],
    });
    expect(dataOf(other).viewer.orgs).toEqual([]);
  });
});
