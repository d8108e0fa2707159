import { describe, expect, it } from 'vitest';
import { jwtClaims, manager, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY, type RestSchema, sandboxFixture } from '../support/sandbox.ts';

type ErrorBody = RestSchema<'Error'>;

const ctx = sandboxFixture();
const ALL_SCOPES = [
  'shops:read',
  'orders:read',
  'orders:write',
  'prescriptions:read',
  'prescriptions:write',
  'inventory:read',
  'products:read',
  'reports:read',
];

describe('token exchange (§1)', () => {
  it('trades a demo key for an HS256 JWT carrying the seed claims', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await ctx.client.post<RestSchema<'TokenResponse'>>(`${manager()}/auth/token`, { apikey: ORG1_KEY });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
    // The seed's example token starts with exactly this header and an org_id-first payload.
    expect(res.body.access_token).toMatch(/^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJvcmdfaWQiO/);
    const claims = jwtClaims(res.body.access_token);
    expect(claims).toEqual({
      org_id: 'org1',
      iss: 'pharmaone-integration',
      sub: 'integration',
      scopes: ALL_SCOPES,
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp).toBe((claims.iat as number) + 3600);
  });

  it('gives the read-only key read scopes without writes or reports:read', async () => {
    const claims = jwtClaims(await ctx.client.token(ORG1_READONLY_KEY));

    expect(claims.scopes).toEqual(['shops:read', 'orders:read', 'prescriptions:read', 'inventory:read', 'products:read']);
    expect(claims.org_id).toBe('org1');
  });

  it('issues org2 tokens for the org2 key', async () => {
    expect(jwtClaims(await ctx.client.token(ORG2_KEY)).org_id).toBe('org2');
  });

  it.each([
    ['a missing key', undefined, 'org1'],
    ['an unknown key', 'not-a-key', 'org1'],
    ["another org's key", ORG2_KEY, 'org1'],
    ['a key for an org that does not exist', ORG1_KEY, 'org9'],
  ])('refuses %s with 401 invalid_api_key', async (_case, apikey, org) => {
    const res = await ctx.client.post(`${manager(org)}/auth/token`, apikey === undefined ? {} : { apikey });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_api_key', message: expect.any(String) });
  });
});

describe('bearer tokens', () => {
  it('refuses a request without a token with 401 invalid_token', async () => {
    const res = await ctx.client.get(`${manager()}/shops`);

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', message: expect.any(String) });
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it.each([
    ['a malformed token', 'not.a.jwt'],
    ['a token that is not three parts', 'abc'],
    ['an API key in place of a token', ORG1_KEY],
  ])('refuses %s with 401 invalid_token', async (_case, token) => {
    const res = await ctx.client.get<ErrorBody>(`${manager()}/shops`, { token });

    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
  });

  it('refuses a token whose payload was altered (bad signature)', async () => {
    const [header, , signature] = (await ctx.client.token()).split('.');
    const forged = Buffer.from(JSON.stringify({ ...jwtClaims(await ctx.client.token()), org_id: 'org2' })).toString('base64url');

    const res = await ctx.client.get(`${manager('org2')}/shops`, { token: `${header}.${forged}.${signature}` });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', message: 'Invalid token signature' });
  });

  it("refuses another org's token with 403 forbidden", async () => {
    const res = await ctx.client.get(`${manager('org2')}/orders`, { token: await ctx.client.token(ORG1_KEY) });

    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden', message: expect.any(String) });
  });

  it('answers an org that does not exist like a foreign one (403), without revealing which orgs exist', async () => {
    const res = await ctx.client.get<ErrorBody>(`${manager('org9')}/orders`, { token: await ctx.client.token(ORG1_KEY) });

    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden');
  });

  it('rejects tokens once they expire, using the token lifetime knob', async () => {
    ctx.sandbox.setTokenLifetime(1);
    try {
      const exchange = await ctx.client.post<RestSchema<'TokenResponse'>>(`${manager()}/auth/token`, { apikey: ORG1_KEY });
      expect(exchange.body.expires_in).toBe(1);
      const token = exchange.body.access_token;
      expect((await ctx.client.get(`${manager()}/shops`, { token })).status).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const res = await ctx.client.get(`${manager()}/shops`, { token });

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_token', message: 'Access token has expired' });
    } finally {
      ctx.sandbox.setTokenLifetime(3600);
    }
  });

  it('issues already-expired tokens with lifetime 0', async () => {
    ctx.sandbox.setTokenLifetime(0);
    try {
      const res = await ctx.client.get<ErrorBody>(`${manager()}/shops`, { token: await ctx.client.token() });

      expect(res.status).toBe(401);
      expect(res.body.message).toBe('Access token has expired');
    } finally {
      ctx.sandbox.setTokenLifetime(3600);
    }
  });

  it('rejects every earlier token after revokeTokens() and accepts new ones', async () => {
    const old = await ctx.client.token();
    ctx.sandbox.revokeTokens();

    const refused = await ctx.client.get(`${manager()}/shops`, { token: old });
    const fresh = await ctx.client.get(`${manager()}/shops`, { token: await ctx.client.token() });

    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'invalid_token', message: 'Access token has been revoked' });
    expect(fresh.status).toBe(200);
  });
});

describe('scopes per endpoint', () => {
  const readable = [
    ['shops', `${manager()}/shops`, {}],
    ['orders', `${manager()}/orders`, {}],
    ['an order', `${manager()}/orders/ORD_20260614_8v039dhnrv`, {}],
    ['prescriptions', `${manager()}/prescriptions`, {}],
    ['inventory', `${manager()}/inventory`, {}],
    ['products', `${manager()}/products`, { shop_id: 'shop1' }],
  ] as const;

  it.each(readable)('lets the read-only key read %s', async (_name, path, query) => {
    const res = await ctx.client.get(path, { token: await ctx.client.token(ORG1_READONLY_KEY), query });

    expect(res.status).toBe(200);
  });

  it.each([
    ['GET', `${manager()}/reports/dashboard`, 'reports:read', undefined],
    ['GET', `${manager()}/reports/product-performance`, 'reports:read', undefined],
    ['PATCH', `${manager()}/orders/ORD_20260614_8v039dhnrv/status`, 'orders:write', { status: 'packed' }],
    ['POST', `${manager()}/order-requests`, 'orders:write', { shop_id: 'shop1', payload: {} }],
    ['POST', `${manager()}/prescriptions`, 'prescriptions:write', {}],
  ])('refuses the read-only key %s %s with 403 insufficient_scope', async (method, path, scope, json) => {
    const res = await ctx.client.request(method, path, { token: await ctx.client.token(ORG1_READONLY_KEY), json });

    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'insufficient_scope', required_scope: scope, message: expect.any(String) });
  });

  it('refuses the read-only key on the v1 route too: Kong lets it in, its scopes do not', async () => {
    const res = await ctx.client.post<RestSchema<'ScopeError'>>('/api/v1/public/orgs/org1/order-requests', {
      apikey: ORG1_READONLY_KEY,
      json: { shop_id: 'shop1', payload: {} },
    });

    expect(res.status).toBe(403);
    expect(res.body.required_scope).toBe('orders:write');
  });
});

describe('with a clock override (options.now)', () => {
  let clock = Date.parse('2026-06-14T12:00:00Z');
  const timed = sandboxFixture({ now: () => clock });

  it('dates tokens by that clock and expires them when it passes exp', async () => {
    const token = await timed.client.token();
    expect(jwtClaims(token)).toMatchObject({ iat: clock / 1000, exp: clock / 1000 + 3600 });
    expect((await timed.client.get(`${manager()}/shops`, { token })).status).toBe(200);

    clock += 3600 * 1000;
    const res = await timed.client.get<ErrorBody>(`${manager()}/shops`, { token });

    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Access token has expired');
  });

  it('stamps new records with that clock', async () => {
    clock = Date.parse('2026-06-14T12:30:00Z');
    const res = await timed.client.post<RestSchema<'OrderRequest'>>(`/api/v1/public/orgs/org1/order-requests`, {
      apikey: ORG1_KEY,
      json: {
        shop_id: 'shop1',
        payload: { customer_name: 'A', customer_email: 'a@example.com', items: [{ name: 'X', quantity: 1, price: 1 }] },
      },
    });

    expect(res.body.created_at).toBe('2026-06-14T12:30:00.000000Z');
    expect(res.body.order_id).toMatch(/^ORD_20260614_/);
  });
});
