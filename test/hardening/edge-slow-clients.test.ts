// Slow clients cannot hold connections: the server closes a request whose headers or body trickle
// in past HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS, idle kept-alive connections after
// HTTP_KEEP_ALIVE_TIMEOUT_MS, and refuses connections past HTTP_MAX_CONNECTIONS.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const HEADERS_TIMEOUT_MS = 600;
const REQUEST_TIMEOUT_MS = 1_200;
const KEEP_ALIVE_TIMEOUT_MS = 400;
/** The longest a trickling client would keep going if the server never closed it. */
const CLIENT_PATIENCE_MS = 15_000;

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({
    env: {
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS: '3',
    },
  });
});
afterAll(() => stack.close());

function open(): Promise<Socket> {
  const { port } = new URL(stack.gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `head` then `body` one byte at a time every `everyMs`, until the server closes the socket; resolves with what happened. */
function trickle(socket: Socket, head: string, body: string, everyMs: number) {
  const started = performance.now();
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => {});
  return new Promise<{ closedAfterMs: number; sentBytes: number; received: string }>((resolve) => {
    let sent = 0;
    socket.write(head);
    const timer = setInterval(() => {
      if (sent >= body.length || performance.now() - started > CLIENT_PATIENCE_MS) return;
      socket.write(body[sent] ?? '');
      sent += 1;
    }, everyMs);
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ closedAfterMs: performance.now() - started, sentBytes: sent, received });
    });
  });
}

describe('slow clients', () => {
  it('a body sent one byte at a time is cut off by the request timeout, and the request is logged once as 408', async () => {
    // Long enough that trickling all of it would take the client longer than its patience.
    const body = JSON.stringify({ query: `{ viewer { mode } }${' '.repeat(120)}` });
    const head = `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\napikey: sandbox-org1-key\r\nx-request-id: slow-body-0001\r\ncontent-length: ${body.length}\r\n\r\n`;
    const result = await trickle(await open(), head, body, 150);

    // Closed near the timeout (plus Node's check interval and a loaded machine's slack), long before the client would give up.
    expect(result.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS * 4);
    expect(result.sentBytes).toBeLessThan(body.length);
    expect(result.received).not.toContain('"data"');
    await expect
      .poll(() => stack.logs.filter((line) => line.requestId === 'slow-body-0001' && line.msg === 'graphql operation'))
      .toHaveLength(1);
    expect(stack.logs.find((line) => line.requestId === 'slow-body-0001' && line.msg === 'graphql operation')).toMatchObject({
      httpStatus: 408,
    });
    expect(stack.logs.filter((line) => line.requestId === 'slow-body-0001' && (line.level ?? 0) >= 50)).toEqual([]);
  });

  it('headers sent one byte at a time are cut off by the headers timeout', async () => {
    const head = 'POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-padding: ';
    const result = await trickle(await open(), head, 'a'.repeat(1_000), 100);

    expect(result.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS * 4);
    expect(result.received).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('an idle kept-alive connection is closed after the keep-alive timeout', async () => {
    const socket = await open();
    const body = JSON.stringify({ query: '{ viewer { mode } }' });
    const result = trickle(
      socket,
      `POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\napikey: sandbox-org1-key\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      '',
      1_000,
    );
    const { closedAfterMs, received } = await result;

    expect(received).toContain('"mode":"PASS_THROUGH"');
    // Node 24 keeps a connection up to 1 s (keepAliveTimeoutBuffer) past the advertised timeout.
    expect(closedAfterMs).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + 3_000);
  });

  it('refuses connections past HTTP_MAX_CONNECTIONS and serves again once one closes', async () => {
    const held = await Promise.all([open(), open(), open()]);
    const extra = await open();
    const extraClosed = await new Promise<boolean>((resolve) => {
      extra.on('error', () => {});
      extra.once('close', () => resolve(true));
      extra.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n');
      setTimeout(() => resolve(false), 2_000);
    });
    expect(extraClosed).toBe(true);

    for (const socket of held) socket.destroy();
    await expect
      .poll(async () => (await request(stack.gateway.url.replace('/graphql', '/healthz')).then((res) => res.body.json())) as unknown)
      .toEqual({ status: 'ok' });
  });
});

describe('configuration', () => {
  it('has documented defaults and refuses a headers timeout longer than the request timeout', () => {
    expect(loadConfig({}).httpServer).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_024,
    });
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '60000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });
});
