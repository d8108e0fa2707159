// CORS_ORIGINS as read (src/http/cors.ts): which origins a rule admits, what the reader refuses.
import { describe, expect, it } from 'vitest';
import { createEnvReader } from '../../src/config/env.ts';
import { createCors, readCorsSettings } from '../../src/http/cors.ts';
import type { IncomingMessage } from 'node:http';

function read(env: Record<string, string>, sandbox = false) {
  const reader = createEnvReader(env);
  return { settings: readCorsSettings(reader, { sandbox }), problems: reader.problems };
}

const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('CORS_ORIGINS', () => {
  it('defaults to any port of localhost and 127.0.0.1 on the sandbox, and to none otherwise', () => {
    expect(read({}, true).settings.origins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(read({}, false).settings.origins).toEqual([]);
  });

  it.each([
    '*',
    'https://*.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'app.example.com',
    'ftp://a.b',
    'https://u:p@a.b',
    'null',
  ])('refuses %j with a clear problem', (origin) => {
    const { problems } = read({ CORS_ORIGINS: `https://ok.example.com, ${origin}` });
    expect(problems).toEqual([expect.stringContaining('CORS_ORIGINS')]);
  });

  it.each([
    ['https://app.example.com', 'https://app.example.com', true],
    ['https://app.example.com', 'https://APP.example.com', true],
    ['https://app.example.com', 'https://app.example.com:443', true],
    ['https://app.example.com', 'http://app.example.com', false],
    ['https://app.example.com', 'https://app.example.com:8443', false],
    ['https://app.example.com', 'https://evil-app.example.com', false],
    ['https://app.example.com', 'https://app.example.com.evil.net', false],
    ['https://app.example.com', 'null', false],
    ['https://app.example.com', 'https://app.example.com/x', false],
    ['http://localhost:*', 'http://localhost:5173', true],
    ['http://localhost:*', 'http://localhost', true],
    ['http://localhost:*', 'https://localhost:5173', false],
    ['http://localhost:*', 'http://localhost.evil.net:5173', false],
    ['http://localhost:5173', 'http://localhost:5174', false],
  ])('%s admits %s: %s', (rule, origin, admitted) => {
    const cors = createCors(read({ CORS_ORIGINS: rule }).settings);
    expect(cors.originAllowed(request({ origin, host: 'gateway.internal:4000' }))).toBe(admitted);
  });

  it('admits a request without Origin (not a browser) and one from the gateway’s own origin (GraphiQL)', () => {
    const cors = createCors({ origins: [] });
    expect(cors.originAllowed(request({ host: '127.0.0.1:4000' }))).toBe(true);
    expect(cors.originAllowed(request({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }))).toBe(true);
    expect(cors.originAllowed(request({ origin: 'https://gw.example.com', host: 'gw.example.com' }))).toBe(true);
    expect(cors.originAllowed(request({ origin: 'http://127.0.0.1:5173', host: '127.0.0.1:4000' }))).toBe(false);
  });
});
