import { describe, expect, it } from 'vitest';
import { must } from '../support/must.ts';
import { manager, ORG1_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

const ctx = signedInSandbox();

// The control API is outside the contract: its lists come as {data: [...]}, its refusals as Manager's error body.
const admin = <Body = { data: unknown[] }>(method: string, path: string, json?: unknown) =>
  ctx.client.request<Body>(method, `/_sandbox${path}`, { json, contract: false });

describe('call log', () => {
  it('records every call in arrival order with its route template, query, credential and outcome', async () => {
    await ctx.client.get(`${manager()}/orders`, { token: ctx.token, query: { limit: 2, status: 'pending' } });
    await ctx.client.patch(`${manager()}/orders/ORD_20260614_8v039dhnrv/status`, {
      token: ctx.token,
      json: { status: 'packed' },
      idempotencyKey: 'k-1',
    });
    await ctx.client.post(`${manager()}/auth/token`, { apikey: ORG1_KEY });
    await ctx.client.get('/nowhere', { contract: false });

    expect(ctx.sandbox.calls.list()).toEqual([
      {
        seq: 1,
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        method: 'GET',
        path: '/api/v2/public/orgs/org1/orders',
        route: 'GET /api/v2/public/orgs/{org}/orders',
        query: { limit: '2', status: 'pending' },
        authKind: 'jwt',
        tokenOrg: 'org1',
        apikeyLabel: null,
        org: 'org1',
        body: null,
        idempotencyKey: null,
        status: 200,
      },
      {
        seq: 2,
        at: expect.any(String),
        method: 'PATCH',
        path: '/api/v2/public/orgs/org1/orders/ORD_20260614_8v039dhnrv/status',
        route: 'PATCH /api/v2/public/orgs/{org}/orders/{id}/status',
        query: {},
        authKind: 'jwt',
        tokenOrg: 'org1',
        apikeyLabel: null,
        org: 'org1',
        body: { status: 'packed' },
        idempotencyKey: 'k-1',
        status: 200,
      },
      {
        seq: 3,
        at: expect.any(String),
        method: 'POST',
        path: '/api/v2/public/orgs/org1/auth/token',
        route: 'POST /api/v2/public/orgs/{org}/auth/token',
        query: {},
        authKind: 'apikey',
        tokenOrg: null,
        apikeyLabel: 'org1-key',
        org: 'org1',
        body: null,
        idempotencyKey: null,
        status: 200,
      },
      {
        seq: 4,
        at: expect.any(String),
        method: 'GET',
        path: '/nowhere',
        route: null,
        query: {},
        authKind: 'none',
        tokenOrg: null,
        apikeyLabel: null,
        org: null,
        body: null,
        idempotencyKey: null,
        status: 404,
      },
    ]);
  });

  it('never records a key itself, only its label', async () => {
    await ctx.client.post(`${manager()}/auth/token`, { apikey: 'some-secret-key' });

    const [call] = ctx.sandbox.calls.list();
    expect(call?.apikeyLabel).toBe('unknown');
    expect(JSON.stringify(ctx.sandbox.calls.list())).not.toContain('some-secret-key');
  });

  it("records the presented token's org even when it is refused", async () => {
    await ctx.client.get(`${manager('org2')}/shops`, { token: ctx.token });

    expect(ctx.sandbox.calls.list()).toEqual([expect.objectContaining({ tokenOrg: 'org1', org: 'org2', status: 403 })]);
  });

  it('keeps repeated query parameters as arrays', async () => {
    await ctx.client.get(`${manager()}/orders?status=pending&status=packed`, { token: ctx.token });

    expect(ctx.sandbox.calls.list()[0]?.query).toEqual({ status: ['pending', 'packed'] });
  });

  it('filters by route, method, path prefix, org, credential kind and sequence number', async () => {
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });
    await ctx.client.get(`${manager()}/orders`, { token: ctx.token });
    await ctx.client.post('/api/v1/public/orgs/org1/order-requests', { apikey: ORG1_KEY, json: {} });

    const { calls } = ctx.sandbox;
    expect(calls.list({ route: 'GET /api/v2/public/orgs/{org}/orders' }).map((call) => call.seq)).toEqual([2]);
    expect(calls.list({ method: 'post' }).map((call) => call.seq)).toEqual([3]);
    expect(calls.list({ pathPrefix: '/api/v2/' }).map((call) => call.seq)).toEqual([1, 2]);
    expect(calls.list({ authKind: 'apikey' }).map((call) => call.seq)).toEqual([3]);
    expect(calls.list({ org: 'org1', afterSeq: 1 }).map((call) => call.seq)).toEqual([2, 3]);
  });

  it('hands out copies: editing a listed entry does not change the log', async () => {
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });
    const [entry] = ctx.sandbox.calls.list();
    must(entry, 'a logged call').status = 999;

    expect(ctx.sandbox.calls.list()[0]?.status).toBe(200);
  });

  it('records the W3C traceparent header of a call that carries one, and no traceparent otherwise', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token, headers: { traceparent } });
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });

    const [traced, plain] = ctx.sandbox.calls.list();
    expect(traced?.traceparent).toBe(traceparent);
    expect(plain).not.toHaveProperty('traceparent');
  });

  it('starts over at seq 1 after clear()', async () => {
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });
    ctx.sandbox.calls.clear();
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });

    expect(ctx.sandbox.calls.list().map((call) => call.seq)).toEqual([1]);
  });
});

describe('reset()', () => {
  it('restores the seeded data, clears the log, turns faults off and forgets idempotency keys; tokens stay valid', async () => {
    const body = {
      shop_id: 'shop1',
      payload: { customer_name: 'A', customer_email: 'a@example.com', items: [{ name: 'X', quantity: 1, price: 1 }] },
    };
    await ctx.client.post(`${manager()}/order-requests`, { token: ctx.token, json: body, idempotencyKey: 'r-1' });
    await ctx.client.patch(`${manager()}/orders/ORD_20260614_8v039dhnrv/status`, { token: ctx.token, json: { status: 'packed' } });
    ctx.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/reports/dashboard', errorRate: 1 }]);
    ctx.sandbox.setTokenLifetime(5);

    ctx.sandbox.reset();

    expect(ctx.sandbox.calls.list()).toEqual([]);
    expect(ctx.sandbox.faults.list()).toEqual([]);
    const list = await ctx.client.get<RestSchema<'OrderList'>>(`${manager()}/orders`, { token: ctx.token, query: { limit: 1 } });
    expect(list.body.pagination.total).toBe(731);
    expect(list.body.data[0]).toMatchObject({ id: 'ORD_20260614_8v039dhnrv', status: 'awaiting_packing' });
    expect((await ctx.client.get(`${manager()}/reports/dashboard`, { token: ctx.token })).status).toBe(200);
    const again = await ctx.client.post(`${manager()}/order-requests`, { token: ctx.token, json: body, idempotencyKey: 'r-1' });
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect((await ctx.client.post<RestSchema<'TokenResponse'>>(`${manager()}/auth/token`, { apikey: ORG1_KEY })).body.expires_in).toBe(
      3600,
    );
  });
});

describe('control API under /_sandbox (not logged, never faulted)', () => {
  it('describes the sandbox: demo keys, shop URL template, token: ctx.token lifetime', async () => {
    const res = await admin('GET', '');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      apiKeys: [
        { apiKey: 'sandbox-org1-key', orgId: 'org1', scopes: expect.any(Array), description: expect.any(String) },
        { apiKey: 'sandbox-org1-readonly', orgId: 'org1', scopes: expect.any(Array), description: expect.any(String) },
        { apiKey: 'sandbox-org2-key', orgId: 'org2', scopes: expect.any(Array), description: expect.any(String) },
      ],
      shopUrlTemplate: `${ctx.sandbox.url}/shops/{shopId}`,
      tokenLifetimeSeconds: 3600,
    });
  });

  it('reads and clears the call log', async () => {
    await ctx.client.get(`${manager()}/shops`, { token: ctx.token });
    await ctx.client.get(`${manager()}/orders`, { token: ctx.token });

    const filtered = await admin('GET', '/calls?route=GET%20/api/v2/public/orgs/%7Borg%7D/orders');
    expect(filtered.body.data).toEqual([expect.objectContaining({ seq: 2, path: '/api/v2/public/orgs/org1/orders' })]);
    expect((await admin('DELETE', '/calls')).status).toBe(204);
    expect((await admin('GET', '/calls')).body).toEqual({ data: [] });
  });

  it('sets, appends, lists and clears fault rules, even while every call is faulted', async () => {
    const set = await admin('PUT', '/faults', [{ errorRate: 1, times: 3 }]);
    const appended = await admin('POST', '/faults', { route: 'GET /api/v2/public/orgs/{org}/shops', latencyMs: 10 });

    expect(set.body).toEqual({ data: [{ errorRate: 1, times: 3 }] });
    expect(appended.body.data).toHaveLength(2);
    expect((await ctx.client.get(`${manager()}/shops`, { token: ctx.token })).status).toBe(503);
    expect((await admin('GET', '/faults')).body.data[0]).toEqual({ errorRate: 1, times: 2 });
    expect((await admin('PUT', '/faults', { rules: [{ hangRate: 1 }] })).body.data).toEqual([{ hangRate: 1 }]);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await ctx.client.get(`${manager()}/shops`, { token: ctx.token })).status).toBe(200);
    expect(ctx.sandbox.calls.list().map((call) => call.path)).toEqual([`${manager()}/shops`, `${manager()}/shops`]);
  });

  it('answers an invalid fault rule with 400 and keeps the old rules', async () => {
    await admin('PUT', '/faults', [{ latencyMs: 1 }]);
    const res = await admin<RestSchema<'Error'>>('PUT', '/faults', [{ errorRate: 'often' }]);

    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/errorRate/);
    expect((await admin('GET', '/faults')).body.data).toEqual([{ latencyMs: 1 }]);
  });

  it('changes the token lifetime, revokes tokens and resets', async () => {
    expect((await admin('PUT', '/config', { tokenLifetimeSeconds: 60 })).body).toEqual({ tokenLifetimeSeconds: 60 });
    expect((await ctx.client.post<RestSchema<'TokenResponse'>>(`${manager()}/auth/token`, { apikey: ORG1_KEY })).body.expires_in).toBe(60);
    expect((await admin('PUT', '/config', { tokenLifetimeSeconds: -1 })).status).toBe(400);

    const old = await ctx.client.token();
    expect((await admin('POST', '/tokens/revoke')).status).toBe(204);
    expect((await ctx.client.get(`${manager()}/shops`, { token: old })).status).toBe(401);

    expect((await admin('POST', '/reset')).status).toBe(204);
    expect((await admin('GET', '/config')).body).toEqual({ tokenLifetimeSeconds: 3600 });
    expect(ctx.sandbox.calls.list()).toEqual([]);
    await ctx.renewToken();
  });

  it('answers unknown control paths with 404 and wrong methods with 405', async () => {
    expect((await admin('GET', '/nothing')).status).toBe(404);
    const wrong = await admin('PATCH', '/reset');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });
});
