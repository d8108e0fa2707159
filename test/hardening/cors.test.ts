// Browser apps on other origins (src/http/cors.ts), over real HTTP and real upgrades: preflights
// granted to listed origins only, responses decorated for them, CSRF unchanged, and the WebSocket
// upgrade and SSE route refusing an unlisted page's Origin. The same page in Chromium:
// test/graphiql/cross-origin.test.ts.
import { request as httpRequest } from 'node:http';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { ALLOWED_HEADERS, EXPOSED_HEADERS } from '../../src/http/cors.ts';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';

const LISTED = 'https://app.example.com';
const stack = stackFixture({ env: { CORS_ORIGINS: `${LISTED}, http://localhost:*` } });
const defaults = stackFixture();

async function preflight(origin: string, method: string, headers: string, url = stack.gateway.url) {
  const res = await request(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
  await res.body.text();
  return { status: res.statusCode, headers: res.headers };
}

/** The status line of a WebSocket upgrade to /graphql with this Origin (or none). */
function upgradeStatus(origin: string | undefined): Promise<number> {
  const url = new URL(stack.gateway.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: '/graphql',
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-protocol': 'graphql-transport-ws',
        ...(origin ? { origin } : {}),
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('preflight', () => {
  it.each([LISTED, 'http://localhost:5173', 'http://localhost:3000'])('is granted to the listed origin %s', async (origin) => {
    const res = await preflight(origin, 'POST', 'content-type, apikey, authorization, x-request-id, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(String(res.headers['access-control-allow-headers']).split(', ')).toEqual([...ALLOWED_HEADERS]);
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers.vary)).toMatch(/\borigin\b/);
  });

  it.each([
    ['an unlisted origin', 'https://evil.example.com', 'POST', 'content-type'],
    ['a look-alike origin', 'https://app.example.com.evil.net', 'POST', 'content-type'],
    ['the listed host on another scheme', 'http://app.example.com', 'POST', 'content-type'],
    ['an opaque origin', 'null', 'POST', 'content-type'],
    ['a method other than GET and POST', LISTED, 'PUT', 'content-type'],
    ['a header no GraphQL client sends', LISTED, 'POST', 'content-type, x-evil'],
  ])('is refused 403 without CORS headers for %s', async (_, origin, method, headers) => {
    const res = await preflight(origin, method, headers);
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('covers the SSE route too', async () => {
    const res = await preflight(LISTED, 'POST', 'content-type, apikey', stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'));
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
  });

  it('defaults to any port of localhost and 127.0.0.1 on the sandbox, and nothing else', async () => {
    expect((await preflight('http://127.0.0.1:5173', 'POST', 'content-type, apikey', defaults.gateway.url)).status).toBe(204);
    expect((await preflight('http://localhost:8080', 'POST', 'content-type, apikey', defaults.gateway.url)).status).toBe(204);
    expect((await preflight(LISTED, 'POST', 'content-type, apikey', defaults.gateway.url)).status).toBe(403);
  });
});

describe('responses', () => {
  async function post(origin: string, headers: Record<string, string> = { apikey: ORG1_KEY, 'content-type': 'application/json' }) {
    const res = await request(stack.gateway.url, { method: 'POST', headers: { origin, ...headers }, body: '{"query":"{ __typename }"}' });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  it('to a listed origin carry the origin and expose the request id and rate-limit headers', async () => {
    const res = await post(LISTED);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(String(res.headers['access-control-expose-headers']).split(', ')).toEqual(EXPOSED_HEADERS);
    expect(String(res.headers.vary)).toMatch(/\borigin\b/);
    expect(String(res.headers.vary)).toMatch(/\bapikey\b/);
  });

  it('to an unlisted origin carry no CORS header', async () => {
    const res = await post('https://evil.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
  });

  it('keep CSRF prevention: a simple cross-site request is refused even from a listed origin', async () => {
    const res = await post(LISTED, { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    const get = await request(`${stack.gateway.url}?query=%7B__typename%7D`, { headers: { origin: LISTED } });
    expect(get.statusCode).toBe(400);
    expect(await get.body.text()).toContain('Cross-Site Request Forgery');
  });
});

describe('requests no preflight guards', () => {
  it.each([
    ['no Origin (not a browser)', undefined, 101],
    ['a listed origin', LISTED, 101],
    ['the gateway’s own origin', 'own', 101],
    ['an unlisted origin', 'https://evil.example.com', 403],
  ])('a WebSocket upgrade from %s is answered %i', async (_, origin, status) => {
    const own = new URL(stack.gateway.url).origin;
    expect(await upgradeStatus(origin === 'own' ? own : origin)).toBe(status);
  });

  it('an SSE request from an unlisted origin is refused 403 before it runs', async () => {
    const res = await request(stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'), {
      method: 'POST',
      headers: { origin: 'https://evil.example.com', apikey: ORG1_KEY, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { orderEvents(orgId: "org1") { type } }' }),
    });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(await res.body.text())).toEqual({
      errors: [{ message: 'This origin is not in CORS_ORIGINS.', extensions: { code: 'FORBIDDEN' } }],
    });
    expect(stack.gateway.feedStats().subscribers).toBe(0);
  });
});
