// The gateway's transports as a test drives them (src/graphql/admission-policy.ts, TRANSPORTS):
// each sends one request over real HTTP or a real WebSocket and reports what came back in one
// shape, so the admission matrix compares refusals across transports.
import { createClient as createWsClient } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { ORG1_KEY } from './gateway.ts';
import type { LogLine, TestStack } from './gateway.ts';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** How a request departs from the plain one: extra or replaced headers, no credential, a raw body. */
export interface RequestTweak {
  headers?: Record<string, string>;
  noCredential?: boolean;
  body?: string;
}

export interface Outcome {
  /** HTTP status (HTTP transports only). */
  status?: number;
  /** `batch`: the admitted operation sent beside the violating one got data and no errors. */
  companionAnswered?: boolean;
  errors: Array<{ message: string; code: unknown }>;
  /** A WebSocket closed before an answer: its close code. */
  closeCode?: number;
}

/** Fails a hang instead of waiting forever; never used as synchronisation. */
const HANG_MS = 15_000;

const errorsOf = (errors: unknown): Outcome['errors'] =>
  Array.isArray(errors)
    ? errors.map((error: { message?: unknown; extensions?: { code?: unknown } }) => ({
        message: String(error.message),
        code: error.extensions?.code,
      }))
    : [];

function parseErrors(text: string): Outcome['errors'] {
  try {
    return errorsOf((JSON.parse(text) as { errors?: unknown }).errors);
  } catch {
    return [{ message: `not JSON: ${text.slice(0, 200)}`, code: undefined }];
  }
}

function headersFor(tweak: RequestTweak, base: Record<string, string>): Record<string, string> {
  return { ...base, ...(tweak.noCredential ? {} : { apikey: ORG1_KEY }), ...tweak.headers };
}

export async function postGraphql(stack: TestStack, body: GraphqlRequest, tweak: RequestTweak = {}): Promise<Outcome> {
  const res = await request(stack.gateway.url, {
    method: 'POST',
    // The GraphQL response media type: refusals carry their own status (not 200 as with application/json).
    headers: headersFor(tweak, { 'content-type': 'application/json', accept: 'application/graphql-response+json' }),
    body: tweak.body ?? JSON.stringify(body),
    signal: AbortSignal.timeout(HANG_MS),
  });
  return { status: res.statusCode, errors: parseErrors(await res.body.text()) };
}

/**
 * A batch (a JSON array, as BatchHttpLink sends): the violating operation first, an admitted one
 * beside it. A refusal of the whole request is one JSON object; otherwise each operation has its
 * slot, and the violating one's errors are the outcome's.
 */
export async function batchGraphql(
  stack: TestStack,
  body: GraphqlRequest,
  companion: GraphqlRequest,
  tweak: RequestTweak = {},
): Promise<Outcome> {
  const res = await request(stack.gateway.url, {
    method: 'POST',
    headers: headersFor(tweak, { 'content-type': 'application/json', accept: 'application/graphql-response+json' }),
    body: tweak.body ?? JSON.stringify([body, companion]),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { status: res.statusCode, errors: parseErrors(text) };
  }
  if (!Array.isArray(parsed)) return { status: res.statusCode, errors: parseErrors(text) };
  const [violating, beside] = parsed as Array<{ data?: unknown; errors?: unknown }>;
  return {
    status: res.statusCode,
    errors: errorsOf(violating?.errors),
    companionAnswered: beside?.errors === undefined && beside?.data !== undefined && beside?.data !== null,
  };
}

export async function getGraphql(stack: TestStack, body: GraphqlRequest, tweak: RequestTweak = {}): Promise<Outcome> {
  const url = new URL(stack.gateway.url);
  url.searchParams.set('query', body.query);
  if (body.variables) url.searchParams.set('variables', JSON.stringify(body.variables));
  if (body.operationName) url.searchParams.set('operationName', body.operationName);
  const res = await request(url, {
    method: 'GET',
    headers: headersFor(tweak, { accept: 'application/graphql-response+json' }),
    signal: AbortSignal.timeout(HANG_MS),
  });
  return { status: res.statusCode, errors: parseErrors(await res.body.text()) };
}

/** POST requests served by each path so far, from the gateway's metrics. */
export async function servedBy(stack: TestStack): Promise<{ prepared: number; apollo: number }> {
  const text = await (await request(`${stack.gateway.listenUrl}/metrics`)).body.text();
  const count = (path: string) => Number(new RegExp(`graphql_post_requests_by_path_total\\{path="${path}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { prepared: count('prepared'), apollo: count('apollo') };
}

/**
 * graphql-sse (distinct connections): a refusal before the stream is a JSON answer; one inside it
 * (a subscription's own error) is a `next` event, after which the stream completes and ends.
 */
export async function sseSubscribe(
  stack: TestStack,
  body: GraphqlRequest,
  tweak: RequestTweak & { method?: 'GET' } = {},
): Promise<Outcome> {
  const stream = new URL(stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'));
  if (tweak.method === 'GET') stream.searchParams.set('query', body.query);
  const res = await request(stream, {
    method: tweak.method ?? 'POST',
    headers: headersFor(tweak, { accept: 'text/event-stream', ...(tweak.method === 'GET' ? {} : { 'content-type': 'application/json' }) }),
    ...(tweak.method === 'GET' ? {} : { body: tweak.body ?? JSON.stringify(body) }),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const text = await res.body.text();
  if (!String(res.headers['content-type']).startsWith('text/event-stream')) return { status: res.statusCode, errors: parseErrors(text) };
  const events = [...text.matchAll(/event: next\ndata: (.*)\n/g)].map((match) => JSON.parse(match[1] ?? '{}') as { errors?: unknown });
  return { errors: events.flatMap((event) => errorsOf(event.errors)) };
}

/**
 * graphql-ws: one connection, one subscribe; its `error` message, `next` errors, or the socket's
 * close. A tweak's headers go in connection_init, where a browser's client puts them.
 */
export async function wsSubscribe(stack: TestStack, body: GraphqlRequest, tweak: RequestTweak = {}): Promise<Outcome> {
  const outcome: Outcome = { errors: [] };
  let answered = false;
  const client = createWsClient({
    url: stack.gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { apikey: ORG1_KEY, ...tweak.headers },
    retryAttempts: 0,
    lazy: true,
    // A close before the answer is the answer (dispose() closes the socket after one, normally).
    on: {
      closed: (event) => {
        if (!answered) outcome.closeCode ??= (event as { code: number }).code;
      },
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const hang = setTimeout(() => reject(new Error('no answer over WebSocket')), HANG_MS);
      const done = () => {
        answered = true;
        clearTimeout(hang);
        resolve();
      };
      client.subscribe(body, {
        next: (result) => {
          outcome.errors.push(...errorsOf(result.errors));
          if (result.errors) done();
        },
        error: (error) => {
          outcome.errors.push(...errorsOf(error));
          done();
        },
        complete: done,
      });
    });
  } finally {
    await client.dispose();
  }
  return outcome;
}

/** A request whose own log line marks a point in the gateway's log (lines are written in order). */
async function logBarrier(stack: TestStack): Promise<number> {
  const requestId = `barrier-${randomUUID()}`;
  await postGraphql(stack, { query: '{ __typename }' }, { headers: { 'x-request-id': requestId } });
  const deadline = Date.now() + HANG_MS;
  for (;;) {
    const index = stack.logs.findIndex((line) => line.requestId === requestId && line.msg === 'graphql operation');
    if (index >= 0) return index;
    if (Date.now() > deadline) throw new Error('the barrier request wrote no log line');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The per-operation log lines ('graphql operation') the gateway wrote while `work` ran, in order. */
export async function operationLinesDuring<T>(stack: TestStack, work: () => Promise<T>): Promise<{ result: T; lines: LogLine[] }> {
  const from = await logBarrier(stack);
  const result = await work();
  const to = await logBarrier(stack);
  return { result, lines: stack.logs.slice(from + 1, to).filter((line) => line.msg === 'graphql operation') };
}
