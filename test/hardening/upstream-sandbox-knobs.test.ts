// The sandbox can play a hostile PharmaOne: crafted bodies, content types, sizes, pagination
// totals and token claims, per org and route, set over its admin route as any outside driver would.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { SandboxHandle } from '../../src/sandbox/server.ts';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function setFaults(rules: unknown): Promise<number> {
  const res = await request(`${sandbox.url}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  await res.body.text();
  return res.statusCode;
}

async function token(
  org = 'org1',
  apikey = 'sandbox-org1-key',
): Promise<{ status: number; body: { access_token: string; expires_in: number } }> {
  const res = await request(`${sandbox.url}/api/v2/public/orgs/${org}/auth/token`, { method: 'POST', headers: { apikey } });
  return { status: res.statusCode, body: (await res.body.json()) as { access_token: string; expires_in: number } };
}

async function get(path: string, org = 'org1', apikey = 'sandbox-org1-key') {
  const { body } = await token(org, apikey);
  const res = await request(`${sandbox.url}/api/v2/public/orgs/${org}${path}`, {
    headers: { authorization: `Bearer ${body.access_token}` },
  });
  return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() };
}

const claims = (jwt: string): unknown => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));

describe('sandbox fault knobs for a hostile upstream', () => {
  it('answers a crafted body with a crafted content type and status, for one org and route only', async () => {
    expect(
      await setFaults([
        { route: 'GET /api/v2/public/orgs/{org}/shops', org: 'org1', respond: { body: '<html>oops</html>', contentType: 'text/html' } },
      ]),
    ).toBe(200);

    const org1 = await get('/shops');
    const org2 = await get('/shops', 'org2', 'sandbox-org2-key');

    expect([org1.status, org1.type, org1.text]).toEqual([200, 'text/html', '<html>oops</html>']);
    expect([org2.status, JSON.parse(org2.text).data[0].id]).toEqual([200, 'shop3']);
  });

  it('sends JSON values as JSON and truncated text as is', async () => {
    await setFaults([
      { route: 'GET /api/v2/public/orgs/{org}/shops', respond: { body: { data: 'oops' } }, times: 1 },
      { route: 'GET /api/v2/public/orgs/{org}/shops', respond: { body: '{"data": [' }, times: 1 },
    ]);

    expect((await get('/shops')).text).toBe('{"data":"oops"}');
    expect((await get('/shops')).text).toBe('{"data": [');
  });

  it('streams a body of the asked size without a content-length', async () => {
    await setFaults([{ route: 'GET /api/v2/public/orgs/{org}/products', respond: { bodyBytes: 3_000_000 } }]);

    const res = await get('/products?shop_id=shop1');

    expect(res.text.length).toBe(3_000_000);
    expect(res.text.startsWith('{"data":[')).toBe(true);
  });

  it('claims a pagination total the data does not have', async () => {
    await setFaults([{ route: 'GET /api/v2/public/orgs/{org}/inventory', paginationTotal: 1e9 }]);

    const page = JSON.parse((await get('/inventory?shop_id=shop1&limit=5')).text);

    expect([page.data.length, page.pagination.total]).toEqual([5, 1e9]);
  });

  it('hands out a token with changed claims or expires_in', async () => {
    await setFaults([
      { route: 'POST /api/v2/public/orgs/{org}/auth/token', tokenClaims: { org_id: 'org2', scopes: null }, times: 1 },
      { route: 'POST /api/v2/public/orgs/{org}/auth/token', expiresIn: 0, times: 1 },
    ]);

    const forged = await token();
    const instant = await token();

    expect(claims(forged.body.access_token)).toMatchObject({ org_id: 'org2' });
    expect(claims(forged.body.access_token)).not.toHaveProperty('scopes');
    expect(instant.body.expires_in).toBe(0);
    expect(claims(instant.body.access_token)).toMatchObject({ org_id: 'org1', scopes: expect.any(Array) });
  });

  it('refuses malformed knobs with 400', async () => {
    expect(await setFaults([{ respond: { bodyBytes: -1 } }])).toBe(400);
    expect(await setFaults([{ respond: { nope: 1 } }])).toBe(400);
    expect(await setFaults([{ paginationTotal: 'many' }])).toBe(400);
    expect(await setFaults([{ tokenClaims: [] }])).toBe(400);
  });
});
