// The only gateway file that imports undici. One keep-alive pool per upstream origin (undici's
// Agent keeps a bounded Pool per origin), JSON in and out, and undici's failures turned into
// UpstreamUnavailableError so nothing above this file knows about sockets.
import { Agent, request } from 'undici';
import type { UpstreamConfig } from '../config.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';
import type { UnavailableReason } from './upstream-errors.ts';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
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
      const res = await request(req.url, {
        dispatcher: agent,
        method: req.method,
        headers,
        body: payload,
        signal: req.signal,
      });
      const text = await readCapped(res.body, {
        declaredLength: res.headers['content-length'],
        maxBytes: limits.maxBodyBytes,
        route: req.route,
      });
      const body = parseJson(text);
      const bodyState = text === '' ? 'empty' : body === INVALID || !isJsonType(res.headers['content-type']) ? 'not_json' : 'json';
      return { status: res.statusCode, headers: res.headers, body: body === INVALID ? null : body, bodyState };
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) throw error;
      if (req.signal?.aborted) {
        // Our own signal: the operation's deadline (AbortSignal.timeout) or a cancellation.
        const reason = (req.signal.reason as Error | undefined)?.name === 'TimeoutError' ? 'deadline' : 'aborted';
        throw new UpstreamUnavailableError({ route: req.route, reason, mayHaveArrived: true, cause: error });
      }
      throw toUnavailable(req.route, error);
    }
  }

  return { send, close: () => agent.close() };
}

const INVALID = Symbol('invalid JSON');

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

/**
 * The body as text, at most `maxBytes`: a declared or actual size past it stops the read (the
 * connection is dropped) so a huge answer never sits in memory.
 */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): void },
  { declaredLength, maxBytes, route }: { declaredLength: string | string[] | undefined; maxBytes: number; route: string },
): Promise<string> {
  const tooLarge = () => {
    body.destroy();
    return new UpstreamUnavailableError({ route, reason: 'too_large', mayHaveArrived: true });
  };
  const declared = Number(Array.isArray(declaredLength) ? declaredLength[0] : declaredLength);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
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
