// Prepared operations (src/graphql/prepared-operations.ts) must answer exactly what Apollo's
// pipeline answers: the same status, headers, body byte for byte, PharmaOne calls and log line.
// Two stacks on identically seeded sandboxes, one with GRAPHQL_PREPARED_OPERATIONS=false, each get
// every request twice (the first teaches the prepared path the document); the second answers are
// compared, and the gateway's own counter says which path served each.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG1_KEY, proveSandboxKeys, startStack } from '../support/gateway.ts';
import type { LogLine, TestStack } from '../support/gateway.ts';
import { OPERATION_CASES } from '../support/operation-cases.ts';

/** Cases Apollo must keep: a mutation, and requests Apollo refuses before execution. */
const APOLLO_ONLY = new Set([
  'an invalid enum variable',
  'a missing required variable',
  'a variable of the wrong type',
  'a mutation answering userErrors',
]);

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  cacheControl: string | undefined;
  body: string;
}

async function post(stack: TestStack, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const res = await request(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: ORG1_KEY, ...headers },
    body: JSON.stringify(body),
  });
  const header = (name: string) => {
    const value = res.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    status: res.statusCode,
    contentType: header('content-type'),
    cacheControl: header('cache-control'),
    body: await res.body.text(),
  };
}

/** POST requests served by each path so far, from the gateway's metrics. */
async function servedBy(stack: TestStack): Promise<{ prepared: number; apollo: number }> {
  const text = await (await request(`${stack.gateway.listenUrl}/metrics`)).body.text();
  const count = (path: string) => Number(new RegExp(`graphql_post_requests_by_path_total\\{path="${path}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  return { prepared: count('prepared'), apollo: count('apollo') };
}

/** The request id and each sandbox's port differ; everything else must match. */
const comparable = (text: string) => text.replace(/"requestId":"[^"]*"/g, '"requestId":"…"').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:port');

const callsOf = (stack: TestStack) =>
  stack.sandbox.calls
    .list()
    .map((call) => `${call.method} ${call.path}`)
    .sort();

/** The operation's log line without what differs per request. */
function lastOperationLine(stack: TestStack): Omit<LogLine, 'requestId' | 'durationMs' | 'time' | 'pid' | 'hostname'> {
  const line = stack.logs.filter((entry) => entry.msg === 'graphql operation').at(-1);
  if (!line) throw new Error('no operation log line');
  const { requestId: _r, durationMs: _d, time: _t, pid: _p, hostname: _h, ...rest } = line as LogLine & Record<string, unknown>;
  return rest;
}

describe('prepared operations against Apollo Server', () => {
  let prepared: TestStack;
  let apollo: TestStack;
  beforeAll(async () => {
    [prepared, apollo] = await Promise.all([startStack(), startStack({ env: { GRAPHQL_PREPARED_OPERATIONS: 'false' } })]);
    // Only proven callers teach the prepared path a query; a key that never reached PharmaOne
    // (the cases' `{ __typename }` alone never does) would leave every request to Apollo.
    await Promise.all([proveSandboxKeys(prepared), proveSandboxKeys(apollo)]);
  });
  afterAll(() => Promise.all([prepared.close(), apollo.close()]));

  /** Sends a body twice to both stacks; returns the second answers, their calls and log lines, and which path served the second on the prepared stack. */
  async function twice(body: unknown, headers: Record<string, string> = {}) {
    await Promise.all([post(prepared, body, headers), post(apollo, body, headers)]);
    prepared.sandbox.calls.clear();
    apollo.sandbox.calls.clear();
    const before = await servedBy(prepared);
    const [fromPrepared, fromApollo] = await Promise.all([post(prepared, body, headers), post(apollo, body, headers)]);
    const after = await servedBy(prepared);
    const path = after.prepared > before.prepared ? 'prepared' : after.apollo > before.apollo ? 'apollo' : 'none';
    return {
      fromPrepared,
      fromApollo,
      path,
      calls: [callsOf(prepared), callsOf(apollo)],
      logs: [lastOperationLine(prepared), lastOperationLine(apollo)],
    };
  }

  function expectSameAnswers(result: Awaited<ReturnType<typeof twice>>): void {
    const { fromPrepared, fromApollo } = result;
    expect(fromPrepared.status).toBe(fromApollo.status);
    expect(fromPrepared.contentType).toBe(fromApollo.contentType);
    expect(fromPrepared.cacheControl).toBe(fromApollo.cacheControl);
    expect(comparable(fromPrepared.body)).toBe(comparable(fromApollo.body));
    expect(result.calls[0]).toEqual(result.calls[1]);
    expect(result.logs[0]).toEqual(result.logs[1]);
  }

  it.each(OPERATION_CASES)(
    '$name: same status, headers, body, PharmaOne calls and log line',
    async ({ name, query, variables, apikey, headers }) => {
      const result = await twice({ query, variables }, { ...(apikey ? { apikey } : {}), ...headers });
      expectSameAnswers(result);
      expect(result.path).toBe(APOLLO_ONLY.has(name) ? 'apollo' : 'prepared');
    },
  );

  it('serves both media types, and answers an error-only result alike', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const ok = await twice({ query: '{ org(id: "org1") { orders(first: 2) { nodes { id } } } }' }, { accept });
      expectSameAnswers(ok);
      expect(ok.path).toBe('prepared');
      const failed = await twice({ query: '{ org(id: "org2") { orders(first: 2) { nodes { id } } } }' }, { accept });
      expectSameAnswers(failed);
      expect(failed.path).toBe('prepared');
      expect(failed.fromPrepared.body).toContain('UNAUTHENTICATED');
    }
  });

  it('keeps each operationName of a document apart, and a name that names none stays a 400 from Apollo', async () => {
    const query = 'query A { __typename } query B { org(id: "org1") { id } }';
    const a = await twice({ query, operationName: 'A' });
    expectSameAnswers(a);
    expect(a.path).toBe('prepared');
    const b = await twice({ query, operationName: 'B' });
    expectSameAnswers(b);
    expect(b.path).toBe('prepared');
    for (const operationName of [undefined, null, '', 'C']) {
      const refused = await twice({ query, operationName });
      expectSameAnswers(refused);
      expect(refused.path).toBe('apollo');
      expect(refused.fromPrepared.status).toBe(400);
    }
  });

  it('leaves requests with persisted-query hashes or unknown fields to Apollo; other extensions and null fields are plain', async () => {
    const query = '{ org(id: "org1") { id } }';
    for (const body of [
      { query, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
      { query, batch: true },
    ]) {
      const result = await twice(body);
      expectSameAnswers(result);
      expect(result.path).toBe('apollo');
    }
    for (const body of [
      { query, extensions: { clientLibrary: { name: 'x' } } },
      { query, operationName: null, variables: null, extensions: null },
    ]) {
      const result = await twice(body);
      expectSameAnswers(result);
      expect(result.path).toBe('prepared');
    }
  });

  it('serves a persisted query sent by hash alone once Apollo has resolved the hash; registrations and unknown hashes stay with Apollo', async () => {
    const query = '{ org(id: "org1") { orders(first: 2) { nodes { id status } } } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const persistedQuery = { version: 1, sha256Hash };
    const registration = await twice({ query, extensions: { persistedQuery } });
    expectSameAnswers(registration);
    expect(registration.path).toBe('apollo');
    const byHash = await twice({ extensions: { persistedQuery } });
    expectSameAnswers(byHash);
    expect(byHash.path).toBe('prepared');
    expect(JSON.parse(byHash.fromPrepared.body).data.org.orders.nodes).toHaveLength(2);
    for (const unknown of [{ version: 1, sha256Hash: 'a'.repeat(64) }, { version: 2, sha256Hash }, { sha256Hash }]) {
      const refused = await twice({ extensions: { persistedQuery: unknown } });
      expectSameAnswers(refused);
      expect(refused.path).toBe('apollo');
    }
  });

  it('applies the upstream-call budget to each request: variables over the budget go to Apollo and are refused with no call', async () => {
    const query = 'query P($first: Int!) { org(id: "org1") { orders(first: $first) { nodes { id items { name } } } } }';
    const small = await twice({ query, variables: { first: 2 } });
    expectSameAnswers(small);
    expect(small.path).toBe('prepared');
    const large = await twice({ query, variables: { first: 500 } });
    expectSameAnswers(large);
    expect(large.path).toBe('apollo');
    expect(large.fromPrepared.body).toContain('QUERY_TOO_EXPENSIVE');
    expect(large.calls[0]).toEqual([]);
  });

  it('leaves a request whose context cannot be built (no credential) to Apollo: the same 401', async () => {
    const query = '{ org(id: "org1") { id } }';
    await twice({ query });
    const result = await twice({ query }, { apikey: '' });
    expectSameAnswers(result);
    expect(result.fromPrepared.status).toBe(401);
    expect(result.path).toBe('apollo');
  });

  it('keeps at most 512 documents, least recently used out', async () => {
    const first = '{ first: __typename }';
    await post(prepared, { query: first });
    for (let i = 0; i < 512; i++) await post(prepared, { query: `{ a${i}: __typename }` });
    const before = await servedBy(prepared);
    await post(prepared, { query: first });
    const after = await servedBy(prepared);
    expect(after.apollo - before.apollo).toBe(1);
    // Apollo's answer taught it again.
    await post(prepared, { query: first });
    expect((await servedBy(prepared)).prepared - after.prepared).toBe(1);
  });
});

describe('prepared operations with the response cache on', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { RESPONSE_CACHE_MB: '8' } });
  });
  afterAll(() => stack.close());

  it('leaves cacheable queries to Apollo (the cache is there) and serves the others', async () => {
    const cacheable = '{ org(id: "org1") { shops { id name } } }';
    await post(stack, { query: cacheable });
    const before = await servedBy(stack);
    const hit = await post(stack, { query: cacheable });
    expect(hit.cacheControl).toMatch(/^max-age=\d+, private$/);
    const mid = await servedBy(stack);
    expect(mid.apollo - before.apollo).toBe(1);

    const live = '{ org(id: "org1") { orders(first: 2) { nodes { id } } } }';
    await post(stack, { query: live });
    stack.sandbox.calls.clear();
    const again = await post(stack, { query: live });
    expect(again.cacheControl).toBe('no-store');
    expect((await servedBy(stack)).prepared - mid.prepared).toBe(1);
    expect(stack.sandbox.calls.list().length).toBeGreaterThan(0);
  });
});
