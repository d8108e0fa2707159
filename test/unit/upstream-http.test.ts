// The HTTP client's own rules against a local node:http server: the body cap in bytes (declared
// or streamed), the operation's signal ending a call at once, even one still queued for a
// connection (which is then never sent), and every call of an operation on one abort listener.
import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamHttp } from '../../src/upstream/http.ts';
import type { UpstreamHttp } from '../../src/upstream/http.ts';
import { UpstreamUnavailableError } from '../../src/upstream/upstream-errors.ts';

const MAX_BODY_BYTES = 1024;
const seen: string[] = [];
const hanging: ServerResponse[] = [];
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  seen.push(req.url ?? '');
  if (req.url === '/hang') return void hanging.push(res);
  if (req.url === '/big-chunked') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`["${'x'.repeat(800)}",`);
    res.end(`"${'y'.repeat(800)}"]`);
    return;
  }
  if (req.url === '/big-declared') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
    res.end('x'.repeat(MAX_BODY_BYTES + 1));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ path: req.url, text: 'é' }));
});
let base = '';
let http: UpstreamHttp;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  http = createUpstreamHttp(
    {
      connectionsPerOrigin: 1,
      connectTimeoutMs: 2_000,
      headersTimeoutMs: 5_000,
      bodyTimeoutMs: 5_000,
      tokenRefreshMarginMs: 0,
      tokenCacheSize: 1,
      detailConcurrency: 1,
    },
    { maxBodyBytes: MAX_BODY_BYTES },
  );
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string, signal?: AbortSignal) =>
  http.send({ method: 'GET', url: `${base}${path}`, route: 'GET /test', ...(signal ? { signal } : {}) });

describe('upstream HTTP client', () => {
  it('answers with the status, the parsed JSON and its state', async () => {
    const res = await get('/orders?limit=1');

    expect(res).toMatchObject({ status: 200, body: { path: '/orders?limit=1', text: 'é' }, bodyState: 'json' });
  });

  it('stops a body that grows past the cap (too_large) and one whose declared length is past it', async () => {
    await expect(get('/big-chunked')).rejects.toMatchObject({ reason: 'too_large' });
    await expect(get('/big-declared')).rejects.toMatchObject({ reason: 'too_large' });
  });

  it('ends a call queued behind a busy connection as soon as the signal aborts, and never sends it', async () => {
    seen.length = 0;
    const first = get('/hang');
    first.catch(() => {});
    await expect.poll(() => seen).toEqual(['/hang']);
    const controller = new AbortController();
    const queued = get('/queued', controller.signal);
    const more = get('/queued-too', controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();

    const error = await queued.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ reason: 'aborted', mayHaveArrived: true });
    await expect(more).rejects.toMatchObject({ reason: 'aborted' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    for (const res of hanging.splice(0)) res.end('{}');
    await first;
    await expect(get('/after')).resolves.toMatchObject({ status: 200 });
    expect(seen).toEqual(['/hang', '/after']);
  });

  it('refuses a signal that already aborted without sending anything', async () => {
    seen.length = 0;
    await expect(get('/never', AbortSignal.abort())).rejects.toMatchObject({ reason: 'aborted' });
    expect(seen).toEqual([]);
  });
});
