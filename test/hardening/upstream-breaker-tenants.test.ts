// Hardening class 4: one tenant's trouble must not open everyone's breaker. PharmaOne failing on
// one org's data (every org2 read answered 503) is not an outage: the per-origin breaker stays
// closed and org1's reads are served. An outage is what more than one tenant sees: once org1's
// reads fail too, the breaker opens as before. Breaker settings are lowered as in
// test/resilience/circuit-breaker.test.ts, so counting org2's failures alone would open it at once.
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG2_KEY, startStack } from '../support/gateway.ts';
import type { GraphqlResponse, TestStack } from '../support/gateway.ts';

const ORG1_READ = '{ org(id: "org1") { shops { id } } }';
const ORG2_READ = '{ org(id: "org2") { shops { id } } }';
const ROUNDS = 8;

let stack: TestStack;
beforeEach(async () => {
  stack = await startStack({
    env: { UPSTREAM_BREAKER_MIN_CALLS: '6', UPSTREAM_BREAKER_ERROR_PERCENT: '50', UPSTREAM_BREAKER_OPEN_MS: '400' },
  });
  // Both orgs' tokens are exchanged before the fault: only reads fail below.
  await stack.gql(ORG1_READ);
  await stack.gql(ORG2_READ, undefined, { apikey: ORG2_KEY });
  stack.sandbox.calls.clear();
});
afterEach(() => stack.close());

const reasons = (res: GraphqlResponse) => (res.body.errors ?? []).map((e) => e.extensions?.reason);

async function breakers(): Promise<unknown> {
  const res = await request(stack.gateway.url.replace('/graphql', '/readyz'));
  return ((await res.body.json()) as { upstream: { breakers: unknown } }).upstream.breakers;
}

/** Rounds of one org1 read beside two org2 reads, at the same time, so both orgs call in the window. */
async function playRounds(): Promise<{ org1: GraphqlResponse[]; org2: GraphqlResponse[] }> {
  const org1: GraphqlResponse[] = [];
  const org2: GraphqlResponse[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [one, ...two] = await Promise.all([
      stack.gql(ORG1_READ),
      stack.gql(ORG2_READ, undefined, { apikey: ORG2_KEY }),
      stack.gql(ORG2_READ, undefined, { apikey: ORG2_KEY }),
    ]);
    if (one) org1.push(one);
    org2.push(...two);
  }
  return { org1, org2 };
}

describe('PharmaOne fails on org2 only', () => {
  it("keeps the breaker closed and serves every org1 read while org2's reads are answered 503", async () => {
    stack.sandbox.faults.set([{ org: 'org2', method: 'GET', errorRate: 1, errorStatus: 503 }]);

    const { org1, org2 } = await playRounds();

    // Far past the lowered thresholds: had org2's failures counted alone, the breaker would be open.
    const org2Failures = stack.sandbox.calls.list({ org: 'org2' }).filter((call) => call.status === 503).length;
    const org1Served = stack.sandbox.calls.list({ org: 'org1' }).filter((call) => call.status === 200).length;
    expect(org2Failures).toBeGreaterThanOrEqual(2 * ROUNDS);
    expect(org2Failures / (org2Failures + org1Served)).toBeGreaterThan(0.5);

    expect(org1).toHaveLength(ROUNDS);
    for (const res of org1) expect(res.body.errors).toBeUndefined();
    expect(org1Served).toBe(ROUNDS);
    for (const res of org2) {
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(reasons(res)).not.toContain('circuit_open');
    }
    expect(await breakers()).toEqual([{ origin: stack.sandbox.url, state: 'closed' }]);
  });

  it('opens the breaker once a second org fails too: that is an outage', async () => {
    stack.sandbox.faults.set([{ org: 'org2', method: 'GET', errorRate: 1, errorStatus: 503 }]);
    await playRounds();
    expect(await breakers()).toEqual([{ origin: stack.sandbox.url, state: 'closed' }]);

    stack.sandbox.faults.set([{ method: 'GET', errorRate: 1, errorStatus: 503 }]);
    const first = await stack.gql(ORG1_READ);
    const later = await stack.gql(ORG1_READ);
    const callsBefore = stack.sandbox.calls.list().length;
    const org2 = await stack.gql(ORG2_READ, undefined, { apikey: ORG2_KEY });

    expect(first.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(reasons(later)).toEqual(['circuit_open']);
    expect(reasons(org2)).toEqual(['circuit_open']);
    // Open: PharmaOne sees nothing more.
    expect(stack.sandbox.calls.list().length).toBe(callsBefore);
    expect(await breakers()).toEqual([{ origin: stack.sandbox.url, state: 'open' }]);
  });
});
