import { describe, expect, it } from 'vitest';
import { FaultRuleError } from '../../src/sandbox/fault-rules.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { createSandboxClient, manager, ORG1_KEY, type RestSchema, sandboxFixture, signedInSandbox } from '../support/sandbox.ts';

const ctx = signedInSandbox();

const SHOPS = `${manager()}/shops`;
const ORDER = `${manager()}/orders/ORD_20260614_8v039dhnrv`;
const ORDER_ROUTE = 'GET /api/v2/public/orgs/{org}/orders/{id}';
const V1 = '/api/v1/public/orgs/org1/order-requests';
const ORDER_REQUEST = {
  shop_id: 'shop1',
  payload: { customer_name: 'Max Mustermann', customer_email: 'max@example.com', items: [{ name: 'X', quantity: 1, price: 1 }] },
};

async function orderCount(): Promise<number> {
  return (await ctx.client.get<RestSchema<'OrderList'>>(`${manager()}/orders`, { token: ctx.token, query: { limit: 1 } })).body.pagination
    .total;
}

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('latency', () => {
  it('adds a fixed delay to matching calls only', async () => {
    ctx.sandbox.faults.set([{ route: ORDER_ROUTE, latencyMs: 400 }]);
    ctx.sandbox.calls.clear();

    const slow = await elapsed(() => ctx.client.get(ORDER, { token: ctx.token }));
    await ctx.client.get(SHOPS, { token: ctx.token });

    expect(slow).toBeGreaterThanOrEqual(395);
    // What the sandbox added to each call, from its own log: how long the unaffected call took
    // depends on how busy the machine is, so that is not asserted.
    expect(ctx.sandbox.calls.list().map((call) => [call.route, call.delayMs])).toEqual([
      [ORDER_ROUTE, 400],
      ['GET /api/v2/public/orgs/{org}/shops', undefined],
    ]);
  });

  it('adds uniform jitter on top of the fixed delay', async () => {
    ctx.sandbox.faults.set([{ latencyMs: 50, jitterMs: 100 }]);
    ctx.sandbox.calls.clear();

    const times = [];
    for (let i = 0; i < 6; i++) times.push(await elapsed(() => ctx.client.get(SHOPS, { token: ctx.token })));

    expect(Math.min(...times)).toBeGreaterThanOrEqual(48);
    // The delays the sandbox drew, from its log (the round trips add whatever the machine adds).
    const delays = ctx.sandbox.calls.list().map((call) => call.delayMs ?? 0);
    expect(delays).toHaveLength(6);
    for (const delay of delays) expect(delay >= 50 && delay < 150).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});

describe('errors', () => {
  it('answers every matching call with 503 at errorRate 1, without running the handler', async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', errorRate: 1 }]);

    const res = await ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST });

    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'service_unavailable', message: expect.any(String) });
    expect(await orderCount()).toBe(731);
  });

  it('fails the next N calls with times: N, then succeeds ("503 twice, then success")', async () => {
    ctx.sandbox.faults.set([{ route: ORDER_ROUTE, errorRate: 1, times: 2 }]);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ctx.client.get(ORDER, { token: ctx.token })).status);

    expect(statuses).toEqual([503, 503, 200]);
    expect(ctx.sandbox.faults.list()).toEqual([]);
  });

  it('uses errorStatus for the injected status', async () => {
    ctx.sandbox.faults.set([{ route: ORDER_ROUTE, errorRate: 1, errorStatus: 500 }]);

    const res = await ctx.client.get<RestSchema<'Error'>>(ORDER, { token: ctx.token });

    expect(res.status).toBe(500);
    expect(res.body.error).toBe('internal_error');
  });

  it("with when: 'after' performs the write and still answers the error", async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', errorRate: 1, when: 'after', times: 1 }]);

    const res = await ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST });

    expect(res.status).toBe(503);
    expect(await orderCount()).toBe(732);
  });

  it('draws from a seeded generator: the same rule fails the same calls after reset()', async () => {
    const pattern = async () => {
      ctx.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 0.5 }]);
      const statuses = [];
      for (let i = 0; i < 16; i++) statuses.push((await ctx.client.get(SHOPS, { token: ctx.token })).status);
      return statuses;
    };

    const first = await pattern();
    ctx.sandbox.reset();
    const second = await pattern();

    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After on Manager routes', async () => {
    ctx.sandbox.faults.set([{ route: ORDER_ROUTE, rateLimitRate: 1, retryAfterSeconds: 7 }]);

    const res = await ctx.client.get(ORDER, { token: ctx.token });

    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
  });

  it("answers Kong's own 429 body on the v1 route", async () => {
    ctx.sandbox.faults.set([{ method: 'POST', pathPrefix: '/api/v1/', rateLimitRate: 1 }]);

    const res = await ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST });

    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toStrictEqual({ message: 'API rate limit exceeded' });
  });
});

describe('connection resets', () => {
  it("with when: 'before' drops the connection and writes nothing", async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', resetRate: 1, times: 1 }]);

    await expect(ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST })).rejects.toThrow();

    expect(await orderCount()).toBe(731);
    expect(ctx.sandbox.calls.list({ method: 'POST' }).map((call) => call.status)).toEqual(['reset']);
  });

  it("with when: 'after' drops the connection after the order was created", async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', resetRate: 1, when: 'after', times: 1 }]);

    await expect(ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST, idempotencyKey: 'lost-1' })).rejects.toThrow();

    expect(await orderCount()).toBe(732);
    // The client's retry under the same key learns the outcome without a second order.
    const retry = await ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST, idempotencyKey: 'lost-1' });
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await orderCount()).toBe(732);
  });

  it('turns a reset on the Manager hop into 502 at the shop proxy', async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', resetRate: 1, times: 1 }]);

    const res = await ctx.client.post<RestSchema<'Error'>>('/shops/shop1/api/v1/external-order', {
      apikey: ORG1_KEY,
      json: { payload: ORDER_REQUEST.payload },
    });

    expect(res.status).toBe(502);
    expect(res.body.error).toBe('bad_gateway');
    expect(ctx.sandbox.calls.list().map((call) => call.status)).toEqual([502, 'reset']);
  });
});

describe('hangs', () => {
  it('never answers, until the client gives up', async () => {
    ctx.sandbox.faults.set([{ route: ORDER_ROUTE, hangRate: 1, times: 1 }]);

    const started = performance.now();
    await expect(ctx.client.get(ORDER, { token: ctx.token, timeoutMs: 300 })).rejects.toThrow(/timeout/i);

    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(ctx.sandbox.calls.list({ route: ORDER_ROUTE }).map((call) => call.status)).toEqual(['hang']);
    expect((await ctx.client.get(ORDER, { token: ctx.token })).status).toBe(200);
  });

  it("with when: 'after' hangs after the write happened", async () => {
    ctx.sandbox.faults.set([{ route: 'POST /api/v1/public/orgs/{org}/order-requests', hangRate: 1, when: 'after', times: 1 }]);

    await expect(ctx.client.post(V1, { apikey: ORG1_KEY, json: ORDER_REQUEST, timeoutMs: 300 })).rejects.toThrow(/timeout/i);

    expect(await orderCount()).toBe(732);
  });
});

describe('rule matching', () => {
  it('applies the first matching rule only', async () => {
    ctx.sandbox.faults.set([
      { route: ORDER_ROUTE, errorRate: 1, errorStatus: 502 },
      { errorRate: 1, errorStatus: 504 },
    ]);

    expect((await ctx.client.get(ORDER, { token: ctx.token })).status).toBe(502);
    expect((await ctx.client.get(SHOPS, { token: ctx.token })).status).toBe(504);
  });

  it('matches a template without a method, a method, a path prefix and a path pattern', async () => {
    ctx.sandbox.faults.set([
      { route: '/api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 500 },
      { method: 'get', pathPattern: '/inventory$', errorRate: 1, errorStatus: 502 },
      { pathPrefix: '/api/v2/public/orgs/org1/prescriptions', errorRate: 1, errorStatus: 504 },
    ]);

    expect((await ctx.client.get(SHOPS, { token: ctx.token })).status).toBe(500);
    expect((await ctx.client.get(`${manager()}/inventory`, { token: ctx.token })).status).toBe(502);
    expect((await ctx.client.get(`${manager()}/prescriptions`, { token: ctx.token })).status).toBe(504);
    expect((await ctx.client.get(ORDER, { token: ctx.token })).status).toBe(200);
  });

  it('refuses rules with unknown keys or impossible values', () => {
    expect(() => ctx.sandbox.faults.set([{ errorrate: 1 } as never])).toThrow(FaultRuleError);
    expect(() => ctx.sandbox.faults.add({ errorRate: 2 })).toThrow(/probability/);
    expect(() => ctx.sandbox.faults.add({ times: 0 })).toThrow(/times/);
    expect(() => ctx.sandbox.faults.add({ when: 'later' as never })).toThrow(/when/);
  });

  it('is off after reset()', async () => {
    ctx.sandbox.faults.set([{ errorRate: 1 }]);
    ctx.sandbox.reset();

    expect(ctx.sandbox.faults.list()).toEqual([]);
    expect((await ctx.client.get(SHOPS, { token: ctx.token })).status).toBe(200);
  });
});

describe('fault rules given at start-up', () => {
  const faulty = sandboxFixture({ faults: [{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, times: 1 }] });

  it('apply from the first call', async () => {
    const faultyToken = await faulty.client.token();

    expect((await faulty.client.get(SHOPS, { token: faultyToken })).status).toBe(503);
    expect((await faulty.client.get(SHOPS, { token: faultyToken })).status).toBe(200);
  });
});

describe('close()', () => {
  it('returns promptly even while a request hangs, and the client sees the connection drop', async () => {
    const sandbox = await startSandbox({ faults: [{ hangRate: 1 }] });
    const client = createSandboxClient(() => sandbox.url);
    const hanging = client.get(SHOPS).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const closing = await elapsed(() => sandbox.close());

    expect(closing).toBeLessThan(1_000);
    expect(await hanging).toBeInstanceOf(Error);
    await client.close();
  });
});
