// Issue 20: a credential PharmaOne refused is remembered. One replica against the real sandbox over
// HTTP, counting POST /auth/token in the sandbox's call log: a query naming 30 orgs with a refused
// key costs one exchange, repeating it none until TOKEN_NEGATIVE_CACHE_MS passes (the broker's
// clock is injected and moved, no sleeping), then one again; only 401 and 403 are remembered; a
// valid key is served; the key never shows in responses or logs. Redis unreachable: the replica's
// own memory still answers. Two replicas sharing Redis: test/fleet/token-refusals.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG2_KEY, stackFixture, startStack } from '../support/gateway.ts';
import type { GraphqlResponse, TestStack } from '../support/gateway.ts';
import { freePort } from '../support/redis.ts';

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';
const TTL_MS = 30_000;
/** A key no sandbox knows (401), distinctive enough to search responses and logs for. */
const CANARY = 'canary-refused-key-5f0c2a9e71';

const orgsQuery = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `o${i}: org(id: "org${i + 1}") { id }`).join(' ')} }`;
const THIRTY_ORGS = orgsQuery(30);

function exchanges(stack: TestStack): number {
  return stack.sandbox.calls.list({ route: TOKEN_ROUTE }).length;
}

/** Every org alias of a THIRTY_ORGS answer: null, with one error of `code` at its path. */
function expectEveryOrgRefused(res: GraphqlResponse, code: string, count = 30): void {
  const aliases = Array.from({ length: count }, (_, i) => `o${i}`);
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual(Object.fromEntries(aliases.map((alias) => [alias, null])));
  expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual(aliases.map((alias) => [[alias], code]));
}

describe('a refused key, one replica (TOKEN_NEGATIVE_CACHE_MS on an injected clock)', () => {
  let clock = Date.now();
  const stack = stackFixture({ env: { TOKEN_NEGATIVE_CACHE_MS: String(TTL_MS) }, gateway: { tokenClock: () => clock } });
  beforeEach(() => {
    stack.sandbox.faults.clear();
    stack.sandbox.calls.clear();
  });

  it('costs one exchange for 30 orgs, none when repeated within the time, one again after it', async () => {
    const first = await stack.gql(THIRTY_ORGS, undefined, { apikey: CANARY });
    expect(exchanges(stack)).toBe(1);
    expectEveryOrgRefused(first, 'UNAUTHENTICATED');

    clock += TTL_MS - 1;
    const repeated = await stack.gql(THIRTY_ORGS, undefined, { apikey: CANARY });
    expect(exchanges(stack)).toBe(1);
    expectEveryOrgRefused(repeated, 'UNAUTHENTICATED');

    clock += 2;
    const afterTtl = await stack.gql(THIRTY_ORGS, undefined, { apikey: CANARY });
    expect(exchanges(stack)).toBe(2);
    expectEveryOrgRefused(afterTtl, 'UNAUTHENTICATED');

    for (const res of [first, repeated, afterTtl]) expect(JSON.stringify(res)).not.toContain(CANARY);
    // The refusals were logged (one refused exchange each time it was asked), the key never.
    const refusedLines = stack.logs.filter((line) => (line.upstream as Record<string, number> | undefined)?.['POST /auth/token 401'] === 1);
    expect(refusedLines).toHaveLength(2);
    expect(stack.logText()).not.toContain(CANARY);
  });

  it('serves a valid key, and refuses only the orgs it is not valid for, with one refused exchange', async () => {
    const own = await stack.gql<{ org: { id: string } }>('{ org(id: "org1") { id } }', undefined, { apikey: ORG1_KEY });
    expect(dataOf(own).org).toEqual({ id: 'org1' });
    stack.sandbox.calls.clear();

    // org1's token is cached and served; org2 refuses the key (401), so org3…org30 are not asked.
    const mixed = await stack.gql<Record<string, { id: string } | null>>(THIRTY_ORGS, undefined, { apikey: ORG1_KEY });
    const again = await stack.gql<Record<string, { id: string } | null>>(THIRTY_ORGS, undefined, { apikey: ORG1_KEY });

    expect(stack.sandbox.calls.list().map((call) => [call.route, call.org, call.status])).toEqual([[TOKEN_ROUTE, 'org2', 401]]);
    for (const res of [mixed, again]) {
      expect(dataOf(res).o0).toEqual({ id: 'org1' });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(Array.from({ length: 29 }, () => 'UNAUTHENTICATED'));
    }
  });

  it('serves a key again once PharmaOne accepts it and the time has passed', async () => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, org: 'org2', errorRate: 1, errorStatus: 401, times: 1 }]);
    const refused = await stack.gql('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });
    const stillRefused = await stack.gql('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });
    expect(exchanges(stack)).toBe(1);

    clock += TTL_MS + 1;
    const served = await stack.gql<{ org: { id: string } }>('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });

    for (const res of [refused, stillRefused]) expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(dataOf(served).org).toEqual({ id: 'org2' });
    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE }).map((call) => call.status)).toEqual([401, 200]);
  });
});

describe('which failed exchanges are remembered', () => {
  // One attempt per exchange and a breaker that never opens: every row sees its own statuses.
  const stack = stackFixture({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1', UPSTREAM_BREAKER_MIN_CALLS: '100000' } });
  beforeEach(() => {
    stack.sandbox.faults.clear();
    stack.sandbox.calls.clear();
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
  ])('a %i refusal: one exchange for three orgs, none when repeated, the same error', async (status, code) => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, errorRate: 1, errorStatus: status }]);
    const apikey = `refused-${status}-key`;

    const first = await stack.gql(orgsQuery(3), undefined, { apikey });
    const second = await stack.gql(orgsQuery(3), undefined, { apikey });

    expect(exchanges(stack)).toBe(1);
    expectEveryOrgRefused(first, code, 3);
    expectEveryOrgRefused(second, code, 3);
  });

  it.each([
    [400, 'BAD_USER_INPUT'],
    [404, 'NOT_FOUND'],
    [409, 'BAD_USER_INPUT'],
    [422, 'BAD_USER_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    [504, 'UPSTREAM_UNAVAILABLE'],
  ])('a %i is no refusal: every org is tried, and tried again by the next request', async (status, code) => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, errorRate: 1, errorStatus: status }]);
    const apikey = `failed-${status}-key`;

    const first = await stack.gql(orgsQuery(3), undefined, { apikey });
    const second = await stack.gql(orgsQuery(3), undefined, { apikey });

    expect(exchanges(stack)).toBe(6);
    expectEveryOrgRefused(first, code, 3);
    expectEveryOrgRefused(second, code, 3);
  });

  it('a reset connection is no refusal either', async () => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, resetRate: 1 }]);

    const first = await stack.gql(orgsQuery(1), undefined, { apikey: 'reset-key' });
    const second = await stack.gql(orgsQuery(1), undefined, { apikey: 'reset-key' });

    expect(exchanges(stack)).toBe(2);
    for (const res of [first, second]) expect(res.body.errors?.map((e) => e.extensions?.reason)).toEqual(['reset']);
  });
});

describe('with REDIS_URL unreachable', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Nothing listens there: every shared-store command fails at once, as in an outage.
    stack = await startStack({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, REDIS_COMMAND_TIMEOUT_MS: '200' } });
  });
  afterAll(() => stack.close());

  it("remembers refusals in the replica's own memory and serves valid keys", async () => {
    const first = await stack.gql(THIRTY_ORGS, undefined, { apikey: CANARY });
    const repeated = await stack.gql(THIRTY_ORGS, undefined, { apikey: CANARY });
    const valid = await stack.gql<{ org: { id: string } }>('{ org(id: "org1") { id } }', undefined, { apikey: ORG1_KEY });

    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE }).map((call) => [call.org, call.status])).toEqual([
      ['org1', 401],
      ['org1', 200],
    ]);
    expectEveryOrgRefused(first, 'UNAUTHENTICATED');
    expectEveryOrgRefused(repeated, 'UNAUTHENTICATED');
    expect(dataOf(valid).org).toEqual({ id: 'org1' });
  });
});
