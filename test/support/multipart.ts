// Incremental delivery as a client reads it: a POST with an Accept that allows parts, each part
// parsed by meros (the multipart reader urql and Relay's fetchers build on), in arrival order.
import { meros } from 'meros/browser';
import { ORG1_KEY } from './gateway.ts';

export const ACCEPT = {
  /** Apollo Client 4's GraphQL17Alpha9Handler (graphql-js 17.0.0-alpha.9's format). */
  v02: 'multipart/mixed;incrementalSpec=v0.2,application/graphql-response+json,application/json;q=0.9',
  /** Apollo Client 3/4's Defer20220824Handler, Apollo Kotlin and iOS. */
  v01: 'multipart/mixed;deferSpec=20220824,application/graphql-response+json,application/json;q=0.9',
} as const;

/** Fails a hang instead of waiting forever; never used as synchronisation. */
const HANG_MS = 15_000;

export interface Answer {
  status: number;
  contentType: string;
  /** The answer's `cache-control` header, if any. */
  cacheControl: string | null;
  /** The multipart answer's parts, read one by one as they arrive; absent for a JSON answer. */
  parts?: AsyncIterator<Record<string, unknown>>;
  /** A JSON answer's body. */
  json?: unknown;
}

export async function postForParts(
  url: string,
  body: { query: string; variables?: Record<string, unknown> } | unknown[],
  accept: string,
  options: { apikey?: string | null; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const apikey = options.apikey === undefined ? ORG1_KEY : options.apikey;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...(apikey ? { apikey } : {}), ...options.headers },
    body: JSON.stringify(body),
    signal: options.signal ?? AbortSignal.timeout(HANG_MS),
  });
  const contentType = res.headers.get('content-type') ?? '';
  const cacheControl = res.headers.get('cache-control');
  if (!contentType.startsWith('multipart/mixed')) return { status: res.status, contentType, cacheControl, json: await res.json() };
  const read = await meros<Record<string, unknown>>(res);
  if (read instanceof Response) throw new Error('meros did not read a multipart answer');
  const iterator = read[Symbol.asyncIterator]();
  const parts: AsyncIterator<Record<string, unknown>> = {
    async next() {
      const step = await iterator.next();
      if (step.done) return { done: true, value: undefined };
      if (!step.value.json) throw new Error(`a part that is not JSON: ${String(step.value.body)}`);
      return { done: false, value: step.value.body };
    },
  };
  return { status: res.status, contentType, cacheControl, parts };
}

/** Every part still to come, in order. */
export async function rest(parts: AsyncIterator<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const all: Array<Record<string, unknown>> = [];
  for (let step = await parts.next(); !step.done; step = await parts.next()) all.push(step.value);
  return all;
}

/** The next part; a multipart answer that ended instead fails the test. */
export async function nextPart(parts: AsyncIterator<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const step = await parts.next();
  if (step.done) throw new Error('the answer ended before this part');
  return step.value;
}

type Path = ReadonlyArray<string | number>;

/** The object at `path` in `data`. */
function at(data: unknown, path: Path): Record<string, unknown> | unknown[] {
  let node = data as Record<string | number, unknown>;
  for (const key of path) node = node[key] as Record<string | number, unknown>;
  return node as Record<string, unknown>;
}

/**
 * The complete data a client assembles from the parts, either format: v0.2 by `pending` ids,
 * v0.1 by each item's `path`. Deferred data is merged into its object, streamed items appended.
 */
export function assemble(parts: ReadonlyArray<Record<string, unknown>>): unknown {
  const [first, ...later] = parts;
  const data = structuredClone(first?.data);
  const pathOf = new Map<string, Path>();
  const announce = (part: Record<string, unknown>) => {
    for (const entry of (part.pending as Array<{ id: string; path: Path }> | undefined) ?? []) pathOf.set(entry.id, entry.path);
  };
  if (first) announce(first);
  for (const part of later) {
    announce(part);
    for (const item of (part.incremental as Array<Record<string, unknown>> | undefined) ?? []) {
      const base =
        typeof item.id === 'string' ? [...(pathOf.get(item.id) ?? []), ...((item.subPath as Path | undefined) ?? [])] : (item.path as Path);
      if (item.items) {
        // v0.1 names the index of the first item; v0.2 the list itself.
        const list = (typeof item.id === 'string' ? at(data, base) : at(data, base.slice(0, -1))) as unknown[];
        list.push(...(item.items as unknown[]));
      } else Object.assign(at(data, base), item.data);
    }
  }
  return data;
}
