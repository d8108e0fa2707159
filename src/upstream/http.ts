// The only gateway file that imports undici. One keep-alive pool per upstream origin (undici's
// Agent keeps a bounded Pool per origin), JSON in and out, and undici's failures turned into
// UpstreamUnavailableError so nothing above this file knows about sockets.
//
// Requests go to the Agent's dispatch() with a handler of our own rather than through undici's
// request(): that one parses the URL again, wraps the answer in a Readable stream (read here with
// an async iterator, a promise per chunk) and adds an EventTarget listener per call to the
// operation's deadline signal. The handler collects the body's chunks under the byte cap as they
// arrive, and the deadline reaches every call of an operation through one listener (onAbort).
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, errors } from 'undici';
import type { Dispatcher } from 'undici';
import { createJsonLimitsScan } from './json-limits.ts';
import type { UpstreamConfig } from './upstream-config.ts';
import { onAbort } from './resilience/deadline.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';
import type { UnavailableReason } from './upstream-errors.ts';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /**
   * `new URL(url).origin` and `pathname + search`, when the caller built the URL and has them
   * (buildRouteUrl): then no layer parses the URL again. Without them, each works them out.
   */
  origin?: string | undefined;
  path?: string | undefined;
  /** Route template for traces and errors, e.g. `GET /orders/{id}`. */
  route: string;
  headers?: Record<string, string>;
  /** Serialised as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** The org the call is for: the per-org bulkhead's lane. */
  orgId?: string | undefined;
  /** Epoch ms when `signal` aborts (the operation's deadline): retry waits never reach past it. */
  deadlineAt?: number | undefined;
  /** A POST that changes nothing upstream (the token exchange), so it may be retried like a GET. */
  idempotent?: boolean;
  /**
   * Called by the resilience layer right before each HTTP attempt (retries included): the
   * operation's call budget counts it (and may refuse it by throwing); the returned function
   * records the attempt's outcome in the operation's trace.
   */
  onAttempt?: (() => (outcome: number | 'unavailable') => void) | undefined;
  /** Whose rate limit a 429 is (org + credential hash): their calls wait out Retry-After, nobody else's. */
  rateLimitKey?: string | undefined;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
  /** `json` only when the answer said JSON and parsed as JSON: anything else is no answer to a read. */
  bodyState?: 'json' | 'empty' | 'not_json';
}

export interface UpstreamHttp {
  send(req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createUpstreamHttp(config: UpstreamConfig, limits: { maxBodyBytes: number }): UpstreamHttp {
  const agent = new Agent({
    connections: config.connectionsPerOrigin,
    connect: { timeout: config.connectTimeoutMs },
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.bodyTimeoutMs,
    keepAliveTimeout: 10_000,
  });

  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    try {
      const res = await exchange(agent, req, headers, payload, limits.maxBodyBytes);
      const text = res.text;
      const body = res.overLimits ? INVALID : parseJson(text);
      const bodyState =
        text === '' && !res.overLimits ? 'empty' : body === INVALID || !isJsonType(res.headers['content-type']) ? 'not_json' : 'json';
      return { status: res.status, headers: res.headers, body: body === INVALID ? null : body, bodyState };
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) throw error;
      if (req.signal?.aborted) {
        // Our own signal: the operation's deadline (a TimeoutError from the deadline clock) or a cancellation.
        const reason = (req.signal.reason as Error | undefined)?.name === 'TimeoutError' ? 'deadline' : 'aborted';
        throw new UpstreamUnavailableError({ route: req.route, reason, mayHaveArrived: true, cause: error });
      }
      throw toUnavailable(req.route, error);
    }
  }

  return { send, close: () => agent.close() };
}

const INVALID = Symbol('invalid JSON');

/** A body the JSON limits scan passed (Exchange): JSON.parse builds at most what those limits allow. */
function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function isJsonType(header: string | string[] | undefined): boolean {
  const value = (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase() ?? '';
  return value === 'application/json' || (value.startsWith('application/') && value.endsWith('+json'));
}

/** Origin and request target of a URL given without them (every route call carries both: buildRouteUrl). */
function targetOf(url: string): { origin: string; path: string } | null {
  const parsed = new URL(url);
  return isHttp(parsed.origin) ? { origin: parsed.origin, path: parsed.pathname + parsed.search } : null;
}

function isHttp(origin: string): boolean {
  return origin.startsWith('http://') || origin.startsWith('https://');
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body went past the JSON limits (json-limits.ts): reading stopped there, `text` is empty. */
  overLimits?: boolean;
}

/**
 * One HTTP exchange: the status, the headers and the body as text, at most `maxBytes` — a declared
 * or actual size past it stops the read (the connection is dropped) so a huge answer never sits in
 * memory. Rejects with undici's error, or with the signal's reason once it aborts (a request still
 * queued for a connection is then dropped when its turn comes, before anything is sent).
 */
function exchange(
  agent: Agent,
  req: UpstreamRequest,
  headers: Record<string, string>,
  payload: string | undefined,
  maxBytes: number,
): Promise<RawAnswer> {
  const { signal } = req;
  // What undici's request() does with a signal that already aborted: nothing is dispatched.
  if (signal?.aborted) return Promise.reject(signal.reason ?? new errors.RequestAbortedError());
  const target =
    req.origin !== undefined && req.path !== undefined && isHttp(req.origin) ? { origin: req.origin, path: req.path } : targetOf(req.url);
  if (!target) return Promise.reject(new errors.InvalidArgumentError('Invalid URL protocol: the URL must start with `http:` or `https:`.'));
  return new Promise<RawAnswer>((resolve, reject) => {
    const handler = new Exchange(req.route, maxBytes, resolve, reject);
    if (signal) handler.stopWaiting = onAbort(signal, () => handler.stop(signal.reason ?? new errors.RequestAbortedError()));
    agent.dispatch({ origin: target.origin, path: target.path, method: req.method, headers, body: payload ?? null }, handler);
  });
}

/**
 * The undici handler of one exchange, one object per call (its state in fields, its callbacks
 * on the prototype): the chunks under the byte cap, then the answer or the first failure.
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly route: string;
  readonly maxBytes: number;
  readonly resolve: (answer: RawAnswer) => void;
  readonly reject: (error: unknown) => void;
  /** Stops waiting for the operation's signal. */
  stopWaiting: (() => void) | undefined = undefined;
  controller: Dispatcher.DispatchController | null = null;
  stopReason: Error | undefined = undefined;
  status = 0;
  headers: IncomingHttpHeaders = {};
  chunks: Buffer[] = [];
  size = 0;
  /** Refused before parsing: what JSON.parse would build for a body is not bounded by its size. */
  readonly scan = createJsonLimitsScan();
  settled = false;

  constructor(route: string, maxBytes: number, resolve: (answer: RawAnswer) => void, reject: (error: unknown) => void) {
    this.route = route;
    this.maxBytes = maxBytes;
    this.resolve = resolve;
    this.reject = reject;
  }

  settle(): void {
    this.settled = true;
    this.stopWaiting?.();
  }

  /** Ends the exchange with `error`; the request or answer still under way is dropped. */
  stop(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.stopReason = error;
    this.controller?.abort(error);
    this.reject(error);
  }

  tooLarge(): void {
    this.stop(new UpstreamUnavailableError({ route: this.route, reason: 'too_large', mayHaveArrived: true }));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Stopped while queued for a connection: never sent.
    if (this.stopReason) controller.abort(this.stopReason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[]>): void {
    // 1xx answers are informational; the real one follows.
    if (this.settled || statusCode < 200) return;
    this.status = statusCode;
    this.headers = headers as IncomingHttpHeaders;
    const declaredLength = headers['content-length'];
    const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
    if (Number.isFinite(declared) && declared > this.maxBytes) this.tooLarge();
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) this.tooLarge();
    else if (!this.scan.push(chunk)) this.overLimits();
    else this.chunks.push(chunk);
  }

  /** The answer is not one JSON.parse may see: the rest is dropped unread, the connection with it. */
  overLimits(): void {
    this.settle();
    this.chunks = [];
    this.controller?.abort(new Error('upstream answer past the JSON limits'));
    this.resolve({ status: this.status, headers: this.headers, text: '', overLimits: true });
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settle();
    const { chunks } = this;
    const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, this.size).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, text });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }
}

function toUnavailable(route: string, error: unknown): UpstreamUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  const [reason, mayHaveArrived] = classify(typeof code === 'string' ? code : undefined, error);
  return new UpstreamUnavailableError({ route, reason, mayHaveArrived, cause: error });
}

/** Whether a request may have reached the server decides if a write's outcome is unknown. */
function classify(code: string | undefined, error: unknown): [UnavailableReason, boolean] {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return ['connect', false];
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return ['timeout', true];
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return ['aborted', true];
    default:
      if ((error as Error | null)?.name === 'AbortError') return ['aborted', true];
      return ['reset', true];
  }
}
