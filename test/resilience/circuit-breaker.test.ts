// The circuit breaker per upstream origin, against sustained 503s from the sandbox: it opens after
// enough failures, then PharmaOne sees no traffic but the half-open probe, and a successful probe
// closes it again. /readyz and /metrics report its state. The breaker runs on a clock of the
// test's own, which moves only when the test moves it: how busy the machine is changes nothing.
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const SHOPS_ROUTE = 'GET /api/v2/public/orgs/{org}/shops';
const SHOPS = '{ org(id: "org1") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };

const OPEN_MS = 400;

let stack: TestStack;
let clockMs = 0;
beforeEach(async () => {
  clockMs = Date.now();
  // The warm-up's token exchange and read are two successes in the window; four 503s then make
  // six calls, two thirds failed, and open it: the first read's three attempts, and one of the next.
  stack = await startStack({
    env: { UPSTREAM_BREAKER_MIN_CALLS: '6', UPSTREAM_BREAKER_ERROR_PERCENT: '50', UPSTREAM_BREAKER_OPEN_MS: String(OPEN_MS) },
    gateway: { resilienceClock: () => clockMs },
  });
  await stack.gql(SHOPS);
  stack.sandbox.calls.clear();
});
afterEach(() => stack.close());

const upstreamCalls = () => stack.sandbox.calls.list().length;

async function readyz(): Promise<{ status: number; body: { upstream: { breakers: unknown } } }> {
  const res = await request(stack.gateway.url.replace('/graphql', '/readyz'));
  return { status: res.statusCode, body: (await res.body.json()) as { upstream: { breakers: unknown } } };
}

async function openTheBreaker(): Promise<void> {
  stack.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 503 }]);
  await stack.gql(SHOPS);
  const second = await stack.gql(SHOPS);
  expect(second.body.errors?.[0]?.extensions?.reason).toBe('circuit_open');
  expect(upstreamCalls()).toBe(4);
}

async function circuitOpenRefusals(): Promise<number> {
  const metrics = await (await request(stack.gateway.url.replace('/graphql', '/metrics'))).body.text();
  return Number(/pharmaone_upstream_rejected_total\{route="GET \/shops",reason="circuit_open"\} (\d+)/.exec(metrics)?.[1] ?? 0);
}

describe('circuit breaker', () => {
  it('opens under sustained 503s: later reads fail fast with circuit_open and PharmaOne sees nothing', async () => {
    await openTheBreaker();

    const rejectedBefore = await circuitOpenRefusals();
    const results = await Promise.all(Array.from({ length: 10 }, () => stack.gql(SHOPS)));

    // Fail fast: each read refused once, before sending, and not retried.
    expect((await circuitOpenRefusals()) - rejectedBefore).toBe(10);
    for (const res of results) {
      expect(res.body.errors).toEqual([
        expect.objectContaining({ path: ['org', 'shops'], extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit_open' } }),
      ]);
    }
    expect(upstreamCalls()).toBe(4);
    expect(await readyz()).toEqual({
      status: 200,
      body: {
        status: 'ready',
        upstream: { breakers: [{ origin: stack.sandbox.url, state: 'open' }] },
        stores: { mode: 'memory', redis: [] },
      },
    });
  });

  it('refuses a write while open as certainly not done (UPSTREAM_UNAVAILABLE, no PATCH sent)', async () => {
    await openTheBreaker();

    const res = await stack.gql<{ updateOrderStatus: { userErrors: unknown[] } }>(
      'mutation($i: UpdateOrderStatusInput!) { updateOrderStatus(input: $i) { userErrors { code message } } }',
      {
        i: { orgId: 'org1', orderId: 'ORD_20260614_8v039dhnrv', status: 'PACKED', idempotencyKey: 'breaker-open-1' },
      },
    );

    expect(dataOf(res).updateOrderStatus.userErrors).toEqual([
      { code: 'UPSTREAM_UNAVAILABLE', message: expect.stringContaining('nothing was written') },
    ]);
    expect(upstreamCalls()).toBe(4);
  });

  it('lets one probe through after the open interval and opens again when it fails', async () => {
    await openTheBreaker();
    clockMs += OPEN_MS;

    const results = await Promise.all(Array.from({ length: 5 }, () => stack.gql(SHOPS)));

    // One probe reached PharmaOne and failed; the other four reads, and the probe's own retry, were refused.
    expect(upstreamCalls()).toBe(5);
    for (const res of results) expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit_open' });
    expect((await readyz()).body.upstream.breakers).toEqual([{ origin: stack.sandbox.url, state: 'open' }]);
  });

  it('closes when the half-open probe succeeds, and traffic flows again', async () => {
    await openTheBreaker();
    stack.sandbox.faults.clear();
    clockMs += OPEN_MS;

    const probe = await stack.gql<ShopsData>(SHOPS);
    const after = await Promise.all(Array.from({ length: 3 }, () => stack.gql(SHOPS)));

    expect(dataOf(probe).org.shops).toHaveLength(2);
    for (const res of after) expect(res.body.errors).toBeUndefined();
    expect(upstreamCalls()).toBe(4 + 1 + 3);
    expect((await readyz()).body.upstream.breakers).toEqual([{ origin: stack.sandbox.url, state: 'closed' }]);
    const metrics = await (await request(stack.gateway.url.replace('/graphql', '/metrics'))).body.text();
    expect(metrics).toContain(`pharmaone_circuit_breaker_state{origin="${stack.sandbox.url}"} 0`);
    expect(metrics).toMatch(/pharmaone_upstream_rejected_total\{route="GET \/shops",reason="circuit_open"\} \d+/);
  });
});
