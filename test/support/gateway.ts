// Test harness: a real sandbox and a real gateway, both on ephemeral ports, talking over HTTP.
// Tests send GraphQL over HTTP and read the sandbox's call log to assert the exact REST fan-out.
import { request } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startGateway } from '../../src/gateway.ts';
import type { GatewayOptions, RunningGateway } from '../../src/gateway.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger.ts';
import { must } from './must.ts';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface GraphqlResponse<TData = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: {
    data?: TData;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: GraphqlErrorExtensions }>;
    /** `upstream` is the per-request call trace (GATEWAY_DEBUG_UPSTREAM=true, src/graphql/plugins/upstream-trace.ts). */
    extensions?: { upstream?: { calls: unknown[]; httpCalls?: number }; [key: string]: unknown };
  };
}

/** A GraphQL response body, for tests that send their own HTTP requests. */
export type GraphqlBody<TData = unknown> = GraphqlResponse<TData>['body'];

/** What the gateway puts in `errors[].extensions`; other keys stay unknown. */
export interface GraphqlErrorExtensions {
  code?: string;
  reason?: string;
  [key: string]: unknown;
}

/** One structured log line; pino's own keys typed, the rest unknown until a test narrows them. */
export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

export interface TestStack {
  sandbox: Sandbox;
  gateway: RunningGateway;
  /** Every structured log line the gateway wrote, parsed. */
  logs: LogLine[];
  /** The raw log text, for canary searches. */
  logText(): string;
  gql<TData = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { apikey?: string | null; headers?: Record<string, string> },
  ): Promise<GraphqlResponse<TData>>;
  close(): Promise<void>;
}

/**
 * The response's `data`, typed as the caller's selection; a response without data fails the test
 * here, naming the errors, instead of as a TypeError on the first field access.
 */
export function dataOf<TData>(res: GraphqlResponse<TData>): TData {
  const { data } = res.body;
  if (data === undefined || data === null) throw new Error(`expected data, got errors ${JSON.stringify(res.body.errors)}`);
  return data;
}

export const ORG1_KEY = 'sandbox-org1-key';
export const ORG1_READONLY_KEY = 'sandbox-org1-readonly';
export const ORG2_KEY = 'sandbox-org2-key';

export interface StackOptions {
  env?: Record<string, string>;
  sandbox?: Parameters<typeof startSandbox>[0];
  gateway?: Omit<GatewayOptions, 'logger'>;
  /** The PharmaOne base URL the gateway calls, given the sandbox's (a proxy in front of it); the sandbox's by default. */
  upstreamVia?: (sandboxUrl: string) => Promise<string>;
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const sandbox = await startSandbox({ port: 0, ...options.sandbox });
  // The response cache outlives a request, so with it on a test would see an earlier test's
  // answers instead of its own upstream calls; test/graph/response-cache.test.ts turns it on.
  // The stack's upstream is a sandbox: say so, as production (NODE_ENV=production) requires.
  const sandboxMode = options.env?.PHARMAONE_BASE_URL ? {} : { PHARMAONE_SANDBOX: 'true' };
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', RESPONSE_CACHE_MB: '0', ...sandboxMode, ...options.env });
  const logs: LogLine[] = [];
  let logText = '';
  const capture = new Writable({
    write(chunk, _encoding, done) {
      logText += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination: capture });
  const gateway = await startGateway(
    config,
    { baseUrl: (await options.upstreamVia?.(sandbox.url)) ?? sandbox.url, shopUrlTemplate: sandbox.shopUrlTemplate },
    { logger, ...options.gateway },
  );

  async function gql<TData>(
    query: string,
    variables?: Record<string, unknown>,
    opts: { apikey?: string | null; headers?: Record<string, string> } = {},
  ) {
    const apikey = opts.apikey === undefined ? ORG1_KEY : opts.apikey;
    const res = await request(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apikey ? { apikey } : {}), ...opts.headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: JSON.parse(text) } as GraphqlResponse<TData>;
  }

  return {
    sandbox,
    gateway,
    logs,
    logText: () => logText,
    gql,
    async close() {
      await gateway.close();
      await sandbox.close();
    },
  };
}

/**
 * One stack for the enclosing suite (a `describe`, or the file): started in `beforeAll`, closed in
 * `afterAll`, like `sandboxFixture()`. Call it while the suite is collected; the object it returns
 * reaches the running stack, so tests and hooks use it as they would a `TestStack`. Options that
 * depend on an earlier fixture (an identity provider's keys) are given as a function, read at start.
 */
export function stackFixture(options: StackOptions | (() => StackOptions) = {}): TestStack {
  let running: TestStack | undefined;
  beforeAll(async () => {
    running = await startStack(typeof options === 'function' ? options() : options);
  });
  afterAll(() => running?.close());
  const current = () => must(running, 'a started stack (use it inside tests or hooks)');
  return {
    get sandbox() {
      return current().sandbox;
    },
    get gateway() {
      return current().gateway;
    },
    get logs() {
      return current().logs;
    },
    logText: () => current().logText(),
    gql<TData>(query: string, variables?: Record<string, unknown>, opts?: { apikey?: string | null; headers?: Record<string, string> }) {
      return current().gql<TData>(query, variables, opts);
    },
    close: () => current().close(),
  };
}

/**
 * One PharmaOne read with each sandbox key, so that each key's token exchange has succeeded: only
 * a proven caller's requests fill the caches kept per query text (src/graphql/document-caches.ts),
 * as a real client's first read proves its key.
 */
export async function proveSandboxKeys(stack: Pick<TestStack, 'gql'>): Promise<void> {
  for (const [apikey, org] of [
    [ORG1_KEY, 'org1'],
    [ORG1_READONLY_KEY, 'org1'],
    [ORG2_KEY, 'org2'],
  ] as const) {
    const res = await stack.gql(`{ org(id: "${org}") { id } }`, undefined, { apikey });
    if (res.body.errors) throw new Error(`${apikey} could not read ${org}: ${JSON.stringify(res.body.errors)}`);
  }
}

/**
 * The sandbox's call log as short lines, e.g. `GET /orders?limit=20&offset=0`: the method, the
 * path under `/api/v2/public/orgs/{org}` (other paths in full) and the query, parameters sorted.
 */
export function restCalls(sandbox: Sandbox, org = 'org1'): string[] {
  const orgBase = `/api/v2/public/orgs/${org}`;
  return sandbox.calls.list().map((call) => {
    const path = call.path.startsWith(orgBase) ? call.path.slice(orgBase.length) : call.path;
    const query = new URLSearchParams(
      Object.entries(call.query)
        .flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value]]))
        .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0)) as Array<[string, string]>,
    ).toString();
    return `${call.method} ${path}${query ? `?${query}` : ''}`;
  });
}

/** A page of order ids, as many tests read it: `{ orders(first: n) { nodes { id } } }`. */
export interface OrderIds {
  orders: { nodes: Array<{ id: string }> };
}
