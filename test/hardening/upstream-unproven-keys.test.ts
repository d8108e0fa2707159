// Issue 27, unknown keys: refused token exchanges for keys PharmaOne never accepted are charged to a
// budget per source key and one for all such keys, so a key naming ever new orgs, or a flood of
// made-up keys, costs PharmaOne a bounded number of exchanges per minute. One replica against the
// real sandbox over HTTP, counting POST /auth/token in its call log; the gate's rules on a fake
// exchange (which outcomes keep what they took, which keys pass untouched) table-driven below.
import { describe, expect, it } from 'vitest';
import { replicaQuotaBuckets } from '../../src/stores/quota-buckets.ts';
import { createExchangeBudget } from '../../src/stores/exchange-budget.ts';
import { ROUTE_BY_OPERATION, ROUTES } from '../../src/upstream/routes.ts';
import { refusalError } from '../../src/upstream/token-refusals.ts';
import { gateUnprovenKeys } from '../../src/upstream/unproven-keys.ts';
import { UnprovenKeyBudgetError, UpstreamStatusError, UpstreamUnavailableError } from '../../src/upstream/upstream-errors.ts';
import { ORG1_KEY, ORG2_KEY, stackFixture } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';
const TOKEN_LABEL = ROUTES[ROUTE_BY_OPERATION.exchangeToken].label;
const PER_KEY = 3;
const TOTAL = 10;

const exchanges = (stack: TestStack) => stack.sandbox.calls.list({ route: TOKEN_ROUTE }).length;
const orgQuery = (org: number) => `{ org(id: "org${org}") { id } }`;
const codesOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  (body.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.reason]);

describe('a flood of made-up keys, one replica', () => {
  // The window is a minute: a test spending the budget in well under a second sees no refill.
  const stack = stackFixture({
    env: { UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY: String(PER_KEY), UPSTREAM_UNPROVEN_EXCHANGES_TOTAL: String(TOTAL) },
  });

  it('costs PharmaOne at most UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY exchanges for one key naming 20 orgs', async () => {
    // A real key, accepted before the flood (proven: never gated while its token lives).
    expect((await stack.gql(orgQuery(1), undefined, { apikey: ORG1_KEY })).body.errors).toBeUndefined();
    stack.sandbox.calls.clear();
    const answers = [];
    for (let org = 1; org <= 20; org++) answers.push(await stack.gql(orgQuery(org), undefined, { apikey: 'made-up-key-one' }));
    expect(exchanges(stack)).toBe(PER_KEY);
    expect(answers.slice(0, PER_KEY).map((res) => codesOf(res.body))).toEqual(
      answers.slice(0, PER_KEY).map(() => [['UNAUTHENTICATED', undefined]]),
    );
    for (const res of answers.slice(PER_KEY)) {
      expect(codesOf(res.body)).toEqual([['RATE_LIMITED', 'unproven_key_exchanges']]);
      expect(res.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it('costs PharmaOne at most UPSTREAM_UNPROVEN_EXCHANGES_TOTAL exchanges for 30 made-up keys', async () => {
    stack.sandbox.calls.clear();
    for (let key = 0; key < 30; key++) await stack.gql(orgQuery(1), undefined, { apikey: `made-up-key-${key}-x` });
    // The first test's key spent PER_KEY of the total already.
    expect(exchanges(stack)).toBe(TOTAL - PER_KEY);
  });

  it('still serves a key PharmaOne accepted before the flood; a new one waits for the budget, told when', async () => {
    expect((await stack.gql(orgQuery(1), undefined, { apikey: ORG1_KEY })).body.errors).toBeUndefined();
    const fresh = await stack.gql(orgQuery(2), undefined, { apikey: ORG2_KEY });
    expect(codesOf(fresh.body)).toEqual([['RATE_LIMITED', 'unproven_key_exchanges']]);
  });
});

describe('the gate', () => {
  const token = { accessToken: 't', orgId: 'org1', scopes: [], issuedAtMs: 0, expiresAtMs: Number.MAX_SAFE_INTEGER };
  const outcomes: Array<[string, boolean, () => Promise<typeof token>]> = [
    ['accepted', false, async () => token],
    ['refused 401', true, async () => Promise.reject(refusalError({ status: 401 }))],
    ['refused 403', true, async () => Promise.reject(refusalError({ status: 403 }))],
    ['503', false, async () => Promise.reject(new UpstreamStatusError({ status: 503, route: TOKEN_LABEL }))],
    [
      'unavailable',
      false,
      async () => Promise.reject(new UpstreamUnavailableError({ route: TOKEN_LABEL, reason: 'timeout', mayHaveArrived: false })),
    ],
  ];

  it.each(outcomes)('an unproven key whose exchange is %s keeps its charge: %s', async (_name, kept, outcome) => {
    const budget = createExchangeBudget(replicaQuotaBuckets({ maxBuckets: 100, now: () => 0 }), { perKey: 1, total: 100 });
    const gated = gateUnprovenKeys(outcome, { budget, isProven: () => false });
    const scope = { baseUrl: 'https://p1', orgId: 'org1', apiKey: 'k' };
    await gated(scope).catch(() => undefined);
    // With a budget of one per key, a second exchange passes the gate only if the first gave it back.
    const second = await gated(scope).catch((error: unknown) => error);
    expect(second instanceof UnprovenKeyBudgetError).toBe(kept);
  });

  it('lets a proven key through with its budget spent', async () => {
    const budget = createExchangeBudget(replicaQuotaBuckets({ maxBuckets: 100, now: () => 0 }), { perKey: 1, total: 1 });
    let calls = 0;
    const exchange = async () => {
      calls += 1;
      throw refusalError({ status: 401 });
    };
    const scope = { baseUrl: 'https://p1', orgId: 'org1', apiKey: 'k' };
    await gateUnprovenKeys(exchange, { budget, isProven: () => false })(scope).catch(() => undefined);
    await gateUnprovenKeys(exchange, { budget, isProven: () => true })(scope).catch(() => undefined);
    expect(calls).toBe(2);
  });
});
