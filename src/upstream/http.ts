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
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null when the body was empty or not JSON. */
  body: unknown;
}

export interface UpstreamHttp {
  send(req: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export function createUpstreamHttp(config: UpstreamConfig): UpstreamHttp {
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
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: parseJson(text) };
    } catch (error) {
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

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
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
