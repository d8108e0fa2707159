// Cross-origin requests from browser apps (a single-page app on another origin, a Vite dev server):
// CORS for the GraphQL routes, and the Origin check of the WebSocket upgrade and the SSE route.
//
// - CORS_ORIGINS lists exact origins (`https://app.example.com`), and for development a port
//   wildcard (`http://localhost:*`). Nothing else: no `*`, no host patterns — an origin either is
//   on the list or gets no CORS header at all.
// - A preflight (OPTIONS with Access-Control-Request-Method) from a listed origin, for GET or POST
//   and only the headers a GraphQL client sends (ALLOWED_HEADERS), is answered 204 with the
//   origin itself in Access-Control-Allow-Origin. Any other preflight is 403 without CORS
//   headers: the browser refuses the request and nothing runs.
// - The gateway reads no cookies (callers authenticate with `apikey` or `Authorization`), so no
//   response allows credentials; the origin is echoed, never `*`, with Vary: Origin.
// - CSRF prevention (./request-rules.ts) is unchanged: a simple cross-site request (one a browser
//   sends without a preflight) is still refused, from any origin.
// - Browsers do not preflight a WebSocket upgrade, and an SSE GET may not need one, so those check
//   Origin themselves (cross-site WebSocket hijacking): no Origin (not a browser), the gateway's
//   own origin (GraphiQL), or a listed origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EnvReader } from '../config/env.ts';
import type { RouteHandler } from './router.ts';

export interface CorsSettings {
  /** As configured: exact origins, or `scheme://host:*` for any port of that host. */
  origins: readonly string[];
}

/** What a GraphQL client sends (Apollo Client, graphql-sse, the example clients). */
export const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'apikey',
  'authorization',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'idempotency-key',
] as const;

/** What a page may read of an answer: the request id to quote, and when to come back. */
export const EXPOSED_HEADERS = [
  'x-request-id',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
];

/** How long a browser may keep a preflight's answer (Chromium caps it at 2 hours). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

const ALLOWED_METHODS = ['GET', 'POST'];

/** scheme://host[:port|:*], lowercase host; no path, query or credentials. */
const ORIGIN_RULE = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/;

/**
 * CORS_ORIGINS, comma-separated. Default: any port of localhost and 127.0.0.1 while the gateway
 * runs on its sandbox (a developer's machine); none otherwise.
 */
export function readCorsSettings(read: EnvReader, options: { sandbox: boolean }): CorsSettings {
  const raw = read.text('CORS_ORIGINS');
  if (raw === undefined) return { origins: options.sandbox ? ['http://localhost:*', 'http://127.0.0.1:*'] : [] };
  const origins = raw
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!ORIGIN_RULE.test(origin.toLowerCase())) {
      read.problem(
        `CORS_ORIGINS: ${JSON.stringify(origin.slice(0, 80))} is not an origin: write scheme://host or scheme://host:port, or scheme://host:* for any port (no "*" alone, no path)`,
      );
    }
  }
  return { origins: origins.map((origin) => origin.toLowerCase()) };
}

export interface Cors {
  /** Answers a preflight (OPTIONS) completely; returns false for any other request. */
  preflight(req: IncomingMessage, res: ServerResponse): boolean;
  /** On a response to a listed origin: Access-Control-Allow-Origin and the exposed headers. */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /** For requests no preflight guards (WebSocket upgrade, SSE): no Origin, the gateway's own, or a listed one. */
  originAllowed(req: IncomingMessage): boolean;
}

export function createCors(settings: CorsSettings): Cors {
  const rules = settings.origins.map(parseRule);

  function listed(origin: string | undefined): origin is string {
    if (rules.length === 0 || origin === undefined || origin.length > 256) return false;
    const parsed = parseOrigin(origin);
    return parsed !== undefined && rules.some((rule) => matches(rule, parsed));
  }

  return {
    preflight(req, res) {
      if (req.method !== 'OPTIONS') return false;
      res.setHeader('vary', 'origin, access-control-request-method, access-control-request-headers');
      const origin = single(req.headers.origin);
      const method = single(req.headers['access-control-request-method']);
      const asked = (single(req.headers['access-control-request-headers']) ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => name !== '');
      const refused = !listed(origin)
        ? 'this origin is not in CORS_ORIGINS'
        : !ALLOWED_METHODS.includes(method ?? '')
          ? `only ${ALLOWED_METHODS.join(' and ')} are allowed`
          : asked.find((name) => !(ALLOWED_HEADERS as readonly string[]).includes(name)) !== undefined
            ? `only these request headers are allowed: ${ALLOWED_HEADERS.join(', ')}`
            : undefined;
      if (refused !== undefined) {
        res.statusCode = 403;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'cors_refused', message: `Cross-origin request refused: ${refused}.` }));
        return true;
      }
      res.statusCode = 204;
      res.setHeader('access-control-allow-origin', origin as string);
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS.join(', '));
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
      res.end();
      return true;
    },

    decorate(req, res) {
      res.appendHeader('vary', 'origin');
      // No origin is listed (the default outside the sandbox): no answer carries a CORS header.
      if (rules.length === 0) return;
      const origin = single(req.headers.origin);
      if (!listed(origin)) return;
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS.join(', '));
    },

    originAllowed(req) {
      const origin = single(req.headers.origin);
      if (origin === undefined) return true;
      return listed(origin) || sameOrigin(origin, single(req.headers.host));
    },
  };
}

/**
 * A GraphQL route with CORS: preflights answered here; other requests decorated for listed
 * origins; with `checkOrigin` (a route no preflight guards), a foreign unlisted Origin refused 403.
 */
export function withCors(cors: Cors, handle: RouteHandler, options: { checkOrigin?: boolean } = {}): RouteHandler {
  return (req, res) => {
    if (cors.preflight(req, res)) return;
    cors.decorate(req, res);
    if (options.checkOrigin && !cors.originAllowed(req)) {
      res.statusCode = 403;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ errors: [{ message: 'This origin is not in CORS_ORIGINS.', extensions: { code: 'FORBIDDEN' } }] }));
      return;
    }
    return handle(req, res);
  };
}

interface OriginParts {
  scheme: string;
  host: string;
  /** The port as written; '*' in a rule means any. Default ports are filled in. */
  port: string;
}

function parseRule(rule: string): OriginParts {
  const match = ORIGIN_RULE.exec(rule);
  if (!match) throw new Error(`not an origin rule: ${rule}`);
  const [, scheme = '', host = '', port] = match;
  return { scheme, host, port: port ?? defaultPort(scheme) };
}

/** An Origin header as browsers send it; anything else (a path, `null`, credentials) matches nothing. */
function parseOrigin(origin: string): OriginParts | undefined {
  const match = ORIGIN_RULE.exec(origin.toLowerCase());
  if (!match || match[3] === '*') return undefined;
  const [, scheme = '', host = '', port] = match;
  return { scheme, host, port: port ?? defaultPort(scheme) };
}

function matches(rule: OriginParts, origin: OriginParts): boolean {
  return rule.scheme === origin.scheme && rule.host === origin.host && (rule.port === '*' || rule.port === origin.port);
}

/** The page comes from the gateway itself (GraphiQL): its Origin names the Host it was sent to. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed || host === undefined) return false;
  const withPort = host.includes(':') && !host.endsWith(']') ? host.toLowerCase() : `${host.toLowerCase()}:${defaultPort(parsed.scheme)}`;
  return `${parsed.host}:${parsed.port}` === withPort;
}

function defaultPort(scheme: string): string {
  return scheme === 'https' ? '443' : '80';
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
