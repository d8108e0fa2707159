// One request, start to finish: log it, read its body, apply the fault rule, route it, check
// who is calling, honour Idempotency-Key, run the route, answer. /_sandbox/ control requests
// bypass the call log and the faults. Nothing a client sends may crash the process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyLabel } from './api-keys.ts';
import { authorize, bearerToken, headerValue } from './authorize.ts';
import { isObject } from './body-fields.ts';
import { queryObject, type AuthKind, type CallLogEntry, type CallRecorder } from './call-log.ts';
import { errorReply, notFound, ReplyError } from './errors.ts';
import type { CraftedAnswer } from './fault-rules.ts';
import type { FaultAction, FaultCraft, FaultInjector } from './faults.ts';
import { readBody, sendReply, type BodyRead } from './http-io.ts';
import { fingerprint, type IdempotencyStore } from './idempotency.ts';
import { decodeJwtPayload } from './jwt.ts';
import type { RouteMatch } from './router.ts';
import type { JsonObject, Reply, RouteContext, RouteDefinition, SandboxServices } from './route-types.ts';

export interface Runtime {
  services: SandboxServices;
  calls: CallRecorder;
  faults: FaultInjector;
  idempotency: IdempotencyStore;
  route(method: string, path: string): RouteMatch<RouteDefinition>;
  admin(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void>;
  now(): number;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export function createRequestListener(runtime: Runtime): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(runtime, request, response).catch((error: unknown) => {
      console.error('sandbox: unexpected error', error);
      sendReply(response, errorReply(500, 'internal_error', 'Unexpected sandbox error'));
    });
  };
}

async function handle(runtime: Runtime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://sandbox.invalid');
  } catch {
    request.resume();
    return sendReply(response, errorReply(400, 'bad_request', 'Malformed request target'));
  }
  if (url.pathname === '/_sandbox' || url.pathname.startsWith('/_sandbox/')) return runtime.admin(request, response, url);

  const match = runtime.route(method, url.pathname);
  const template = match.kind === 'found' ? match.route.path : null;
  const entry = runtime.calls.begin({
    at: new Date(runtime.now()).toISOString(),
    method,
    path: url.pathname,
    route: template === null ? null : `${method} ${template}`,
    query: queryObject(url.searchParams),
    ...credentialSummary(request),
    org: addressedOrg(runtime, match),
    body: null,
    idempotencyKey: headerValue(request.headers, 'idempotency-key') ?? null,
    ...traceContext(request),
  });

  const read = await readBody(request);
  if (read.kind === 'json') entry.body = read.value;
  if (read.kind === 'aborted') {
    entry.status = 'aborted';
    return;
  }

  const decision = runtime.faults.decide({ method, path: url.pathname, template, org: entry.org });
  if (decision && decision.delayMs > 0) {
    entry.delayMs = decision.delayMs;
    await sleep(decision.delayMs);
  }
  const action = decision?.action ?? null;
  const kongFronted = template !== null && !template.startsWith('/api/v2/');
  if (action && (action.kind === 'rate_limit' || action.when === 'before')) {
    return fail(action, entry, request, response, kongFronted);
  }

  const craft = decision?.craft ?? null;
  if (craft?.respond) return sendCrafted(response, entry, craft.respond);

  const reply = await answer(runtime, method, match, read, request, url);
  if (action) return fail(action, entry, request, response, kongFronted);
  entry.status = reply.status;
  sendReply(response, craft ? misstate(reply, craft) : reply);
}

/** The handled answer, changed as a lying upstream would change it. */
function misstate(reply: Reply, craft: FaultCraft): Reply {
  if (!isObject(reply.body)) return reply;
  const body = structuredClone(reply.body);
  if (craft.paginationTotal !== undefined && isObject(body.pagination)) body.pagination.total = craft.paginationTotal;
  if (craft.expiresIn !== undefined && 'expires_in' in body) body.expires_in = craft.expiresIn;
  if (craft.tokenClaims !== undefined && typeof body.access_token === 'string') {
    const [header, , signature] = body.access_token.split('.');
    const claims = { ...(decodeJwtPayload(body.access_token) ?? {}) } as Record<string, unknown>;
    for (const [name, value] of Object.entries(craft.tokenClaims)) {
      if (value === null) delete claims[name];
      else claims[name] = value;
    }
    body.access_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  }
  return { ...reply, body };
}

/** A crafted answer, streamed when large: the sandbox never holds a huge body in memory. */
function sendCrafted(response: ServerResponse, entry: CallLogEntry, crafted: CraftedAnswer): void {
  const status = crafted.status ?? 200;
  entry.status = status;
  const headers: Record<string, string> = { 'content-type': crafted.contentType ?? 'application/json', ...crafted.headers };
  if (crafted.bodyBytes !== undefined) {
    response.writeHead(status, headers);
    const chunk = Buffer.from(`${'{"p1_id":"x","name":"padding"},'.repeat(2048)}`);
    let left = crafted.bodyBytes;
    const head = Buffer.from('{"data":[');
    const pump = (): void => {
      while (left > 0) {
        const piece = left === crafted.bodyBytes ? head : chunk;
        const part = piece.subarray(0, Math.min(piece.length, left));
        left -= part.length;
        // Backpressure: wait for the client to read (or go away) before writing more.
        if (!response.write(part)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    response.on('close', () => {
      left = 0;
    });
    pump();
    return;
  }
  const text = crafted.body === undefined ? '' : typeof crafted.body === 'string' ? crafted.body : JSON.stringify(crafted.body);
  headers['content-length'] = String(Buffer.byteLength(text));
  response.writeHead(status, headers);
  response.end(text);
}

function traceContext(request: IncomingMessage): Pick<CallLogEntry, 'traceparent'> {
  const traceparent = headerValue(request.headers, 'traceparent');
  return traceparent === undefined ? {} : { traceparent };
}

function credentialSummary(request: IncomingMessage): Pick<CallLogEntry, 'authKind' | 'tokenOrg' | 'apikeyLabel'> {
  const token = bearerToken(request.headers);
  const apikey = headerValue(request.headers, 'apikey');
  const authKind: AuthKind = token !== undefined ? 'jwt' : apikey !== undefined ? 'apikey' : 'none';
  const orgClaim = token === undefined ? undefined : decodeJwtPayload(token)?.org_id;
  return { authKind, tokenOrg: typeof orgClaim === 'string' ? orgClaim : null, apikeyLabel: apiKeyLabel(apikey) };
}

function addressedOrg(runtime: Runtime, match: RouteMatch<RouteDefinition>): string | null {
  if (match.kind !== 'found') return null;
  if (match.params.org !== undefined) return match.params.org;
  if (match.params.shopId !== undefined) return runtime.services.store.shop(match.params.shopId)?.org.id ?? null;
  return null;
}

async function answer(
  runtime: Runtime,
  method: string,
  match: RouteMatch<RouteDefinition>,
  read: BodyRead,
  request: IncomingMessage,
  url: URL,
): Promise<Reply> {
  if (read.kind === 'too_large') return errorReply(413, 'payload_too_large', 'Request body exceeds 1 MiB');
  if (match.kind === 'not_found') return notFound(`No route for ${method} ${url.pathname}`);
  if (match.kind === 'method_not_allowed') {
    return {
      ...errorReply(405, 'method_not_allowed', `${method} is not allowed here; use ${match.allow.join(', ')}`),
      headers: { allow: match.allow.join(', ') },
    };
  }
  try {
    const { route, params } = match;
    const { services } = runtime;
    const { org, principal } = authorize(route.auth, params, request.headers, services.store, services.tokens);
    const body = route.takesBody ? jsonObjectBody(read) : {};
    const context: RouteContext = { params, query: url.searchParams, body, headers: request.headers, org, principal, services };
    const key = route.idempotent ? headerValue(request.headers, 'idempotency-key') : undefined;
    if (key === undefined) return await run(route, context);

    if (key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return errorReply(400, 'bad_request', `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    const print = fingerprint({ route: `${method} ${route.path}`, params, body });
    const previous = runtime.idempotency.lookup(org.id, key, print);
    if (previous.kind === 'replay') {
      return { ...previous.reply, headers: { ...previous.reply.headers, 'idempotent-replayed': 'true' } };
    }
    if (previous.kind === 'conflict') {
      return errorReply(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request', {
        fields: ['Idempotency-Key'],
      });
    }
    const reply = await run(route, context);
    runtime.idempotency.remember(org.id, key, print, reply);
    return reply;
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    console.error('sandbox: route failed', error);
    return errorReply(500, 'internal_error', 'Unexpected sandbox error');
  }
}

async function run(route: RouteDefinition, context: RouteContext): Promise<Reply> {
  try {
    return await route.handle(context);
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    throw error;
  }
}

function jsonObjectBody(read: BodyRead): JsonObject {
  if (read.kind === 'invalid_json') throw new ReplyError(errorReply(400, 'invalid_json', read.message));
  if (read.kind !== 'json' || !isObject(read.value)) {
    throw new ReplyError(errorReply(400, 'invalid_json', 'The request body must be a JSON object'));
  }
  return read.value;
}

const FAULT_ERROR_CODES: Record<number, string> = {
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

function fail(action: FaultAction, entry: CallLogEntry, request: IncomingMessage, response: ServerResponse, kong: boolean): void {
  switch (action.kind) {
    case 'rate_limit': {
      entry.status = 429;
      const body = kong ? { message: 'API rate limit exceeded' } : { error: 'rate_limited', message: 'Too many requests' };
      sendReply(response, { status: 429, body, headers: { 'retry-after': String(Math.ceil(action.retryAfterSeconds)) } });
      return;
    }
    case 'error':
      entry.status = action.status;
      sendReply(response, errorReply(action.status, FAULT_ERROR_CODES[action.status] ?? 'injected_fault', 'Injected fault (sandbox)'));
      return;
    case 'reset':
      entry.status = 'reset';
      // A TCP RST, as a crashed upstream or a dropped connection would produce.
      request.socket.resetAndDestroy();
      return;
    case 'hang':
      // Say nothing: the client times out, or close() drops the connection.
      entry.status = 'hang';
      return;
  }
}

function sleep(ms: number): Promise<void> {
  // Unreferenced: a pending fault delay must not keep a closing process alive.
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
