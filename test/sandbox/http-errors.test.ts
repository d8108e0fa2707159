import { describe, expect, it } from 'vitest';
import { manager, ORG1_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

const ctx = signedInSandbox({ reset: false });

describe('bad input never crashes the sandbox', () => {
  it.each([
    ['PATCH', `${manager()}/orders/ORD_20260614_8v039dhnrv/status`],
    ['POST', `${manager()}/order-requests`],
    ['POST', `${manager()}/prescriptions`],
  ])('answers malformed JSON on %s %s with 400 invalid_json', async (method, path) => {
    const res = await ctx.client.request(method, path, { token: ctx.token, rawBody: '{"status": "packed",' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_json', message: expect.stringContaining('Malformed JSON') });
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a string', '"packed"'],
    ['nothing', ''],
  ])('answers %s where an object belongs with 400', async (_case, rawBody) => {
    const res = await ctx.client.post<RestSchema<'Error'>>(`${manager()}/order-requests`, { token: ctx.token, rawBody });

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_json');
  });

  it('answers malformed JSON on the Kong route with 400 once the key is accepted', async () => {
    const res = await ctx.client.post('/api/v1/public/orgs/org1/order-requests', { apikey: ORG1_KEY, rawBody: 'not json' });

    expect(res.status).toBe(400);
  });

  it('checks the credential before the body: a bad token with a bad body is 401', async () => {
    const res = await ctx.client.post(`${manager()}/order-requests`, { token: 'nope', rawBody: 'not json' });

    expect(res.status).toBe(401);
  });

  it.each([
    ['DELETE', `${manager()}/orders`, 'GET'],
    ['POST', `${manager()}/orders/ORD_20260614_8v039dhnrv`, 'GET'],
    ['GET', `${manager()}/auth/token`, 'POST'],
    ['PUT', `${manager()}/prescriptions`, 'GET, POST'],
    ['GET', '/shops/shop1/api/v1/external-order', 'POST'],
  ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await ctx.client.request(method, path, { token: ctx.token });

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toEqual({ error: 'method_not_allowed', message: expect.any(String) });
  });

  it.each([['/'], ['/api/v2/public/orgs/org1/nothing'], ['/api/v2/public/orgs/org1/orders/x/y/z'], ['/shops/shop1/other']])(
    'answers the unknown route %s with 404 (outside the contract)',
    async (path) => {
      const res = await ctx.client.get(path, { token: ctx.token, contract: false });

      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
    },
  );

  it('refuses a body over 1 MiB with 413 (outside the contract) and keeps serving', async () => {
    const res = await ctx.client.post<RestSchema<'Error'>>(`${manager()}/order-requests`, {
      token: ctx.token,
      json: { shop_id: 'shop1', padding: 'x'.repeat(1024 * 1024) },
      contract: false,
    });

    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expect((await ctx.client.get(`${manager()}/shops`, { token: ctx.token })).status).toBe(200);
  });

  it('refuses an empty or overlong Idempotency-Key with 400', async () => {
    const body = { status: 'cancelled' };
    const path = `${manager()}/orders/ORD_20260614_8v039dhnrv/status`;
    const empty = await ctx.client.patch(path, { token: ctx.token, json: body, idempotencyKey: '' });
    const long = await ctx.client.patch(path, { token: ctx.token, json: body, idempotencyKey: 'k'.repeat(256) });

    expect(empty.status).toBe(400);
    expect(long.status).toBe(400);
  });

  it('survives a percent-encoding that does not decode', async () => {
    const res = await ctx.client.get(`${manager()}/orders/%E0%A4%A`, { token: ctx.token });

    expect(res.status).toBe(404);
  });
});
