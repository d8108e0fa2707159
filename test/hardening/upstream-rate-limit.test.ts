// Hardening class 4: a 429 is one caller's rate limit, not an outage. That org's calls wait out
// its Retry-After (refused locally, UPSTREAM_UNAVAILABLE `rate_limited` with retryAfterSeconds),
// the origin's breaker never counts it, and the other org's reads go on.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG2_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const ORG1_READ = '{ org(id: "org1") { shops { id } orders(first: 3) { nodes { id } } } }';
const ORG2_READ = '{ org(id: "org2") { shops { id } orders(first: 3) { nodes { id } } } }';

let stack: TestStack;
beforeAll(async () => {
  // A breaker that opens quickly, so counting 429s would show at once.
  stack = await startStack({ env: { UPSTREAM_BREAKER_MIN_CALLS: '5', UPSTREAM_BREAKER_ERROR_PERCENT: '50' } });
});
afterAll(() => stack.close());
beforeEach(async () => {
  stack.sandbox.faults.clear();
  await stack.gql('{ org(id: "org1") { id } }');
  await stack.gql('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });
  stack.sandbox.calls.clear();
});

describe('PharmaOne rate-limits org2 only', () => {
  it('keeps every org1 read served while org2 answers 429 to everything', async () => {
    stack.sandbox.faults.set([{ org: 'org2', rateLimitRate: 1, retryAfterSeconds: 0 }]);

    const org2 = await Promise.all(Array.from({ length: 20 }, () => stack.gql(ORG2_READ, undefined, { apikey: ORG2_KEY })));
    const org1 = await Promise.all(Array.from({ length: 20 }, () => stack.gql(ORG1_READ)));

    expect(stack.sandbox.calls.list({ org: 'org2' }).filter((call) => call.status === 429).length).toBeGreaterThanOrEqual(20);
    for (const res of org1) expect(res.body.errors).toBeUndefined();
    for (const res of org2) {
      expect(res.body.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toContainEqual([
        'UPSTREAM_UNAVAILABLE',
        'rate_limited',
      ]);
    }
    const ready = await request(stack.gateway.url.replace('/graphql', '/readyz'));
    expect(JSON.stringify(await ready.body.json())).not.toContain('"open"');
  });

  it('honours Retry-After: org2 calls are refused locally until then, with retryAfterSeconds', async () => {
    // Longer than the operation's deadline: the first read is answered at once, not retried.
    stack.sandbox.faults.set([{ org: 'org2', route: 'GET /api/v2/public/orgs/{org}/shops', rateLimitRate: 1, retryAfterSeconds: 60 }]);

    const first = await stack.gql('{ org(id: "org2") { shops { id } } }', undefined, { apikey: ORG2_KEY });
    const later = await Promise.all(
      Array.from({ length: 5 }, () => stack.gql('{ org(id: "org2") { shops { id } } }', undefined, { apikey: ORG2_KEY })),
    );
    const org1 = await stack.gql('{ org(id: "org1") { shops { id } } }');

    expect(first.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'rate_limited',
      retryAfterSeconds: 60,
    });
    for (const res of later) {
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'rate_limited' });
      expect(res.body.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(50);
    }
    // Only the first call reached PharmaOne; org2's other reads never left the gateway.
    expect(stack.sandbox.calls.list({ org: 'org2' }).map((call) => call.status)).toEqual([429]);
    expect(org1.body.errors).toBeUndefined();
  });

  it('treats a 429 of the token exchange the same way: org2 waits, org1 exchanges and reads', async () => {
    const fresh = await startStack();
    try {
      fresh.sandbox.faults.set([
        { org: 'org2', route: 'POST /api/v2/public/orgs/{org}/auth/token', rateLimitRate: 1, retryAfterSeconds: 60 },
      ]);

      const first = await fresh.gql('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });
      const second = await fresh.gql('{ org(id: "org2") { id } }', undefined, { apikey: ORG2_KEY });
      const org1 = await fresh.gql('{ org(id: "org1") { shops { id } } }');

      for (const res of [first, second]) {
        expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', reason: 'rate_limited' });
      }
      expect(fresh.sandbox.calls.list({ org: 'org2' }).map((call) => call.status)).toEqual([429]);
      expect(org1.body.errors).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
