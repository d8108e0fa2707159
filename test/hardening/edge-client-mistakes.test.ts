// Client mistakes are 4xx, never 500, never an error-level log line, and every request (however
// early it was refused) gets exactly one operation log line whose codes are the ones the client saw.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { stackFixture } from '../support/gateway.ts';

const stack = stackFixture();

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

interface Mistake {
  name: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Raw POST body, or an object to JSON-encode. */
  body?: string | Record<string, unknown>;
  /** GET search parameters. */
  search?: Record<string, string>;
  headers?: Record<string, string>;
  /** Expected status with `Accept: application/graphql-response+json`. */
  status: number;
  code: string;
}

const deep = `{ org(id: "org1") { ${'shops { orders { nodes { shop { '.repeat(4)}id${' } } } }'.repeat(4)} } }`;

const MISTAKES: Mistake[] = [
  {
    name: 'two operations, no operationName',
    body: { query: 'query A { viewer { mode } } query B { viewer { mode } }' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'operationName naming none',
    body: { query: 'query A { viewer { mode } }', operationName: 'Nope' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'operationName given for an anonymous operation',
    body: { query: '{ viewer { mode } }', operationName: 'A' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'two operations over GET, no operationName',
    method: 'GET',
    search: { query: 'query A { viewer { mode } } query B { viewer { mode } }' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'only fragments', body: { query: 'fragment F on Query { viewer { mode } }' }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  { name: 'malformed JSON', body: '{"query": ', status: 400, code: 'BAD_REQUEST' },
  { name: 'empty body', body: '', status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON that is not an object', body: '[1,2]', status: 400, code: 'BAD_REQUEST' },
  { name: 'no query', body: { variables: {} }, status: 400, code: 'BAD_REQUEST' },
  { name: 'query not a string', body: { query: 42 }, status: 400, code: 'BAD_REQUEST' },
  { name: 'variables not an object', body: { query: '{ viewer { mode } }', variables: 'x' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'operationName not a string', body: { query: '{ viewer { mode } }', operationName: 7 }, status: 400, code: 'BAD_REQUEST' },
  { name: 'extensions not an object', body: { query: '{ viewer { mode } }', extensions: 'x' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'wrong content type', body: 'query=1', headers: { 'content-type': 'text/plain' }, status: 415, code: 'BAD_REQUEST' },
  {
    name: 'unacceptable Accept',
    body: { query: '{ viewer { mode } }' },
    headers: { accept: 'text/csv' },
    status: 406,
    code: 'BAD_REQUEST',
  },
  { name: 'syntax error', body: { query: '{ viewer { mode }' }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'unknown field',
    body: { query: '{ org(id: "org1") { ordrs { totalCount } } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'too deep', body: { query: deep }, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'bad enum literal',
    body: { query: '{ org(id: "org1") { orders(filter: {status: PENDNG}) { totalCount } } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'bad enum variable',
    body: { query: 'query($s: OrderStatus) { org(id: "org1") { orders(filter: {status: $s}) { totalCount } } }', variables: { s: 'X' } },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'Int overflow in a variable',
    body: { query: 'query($n: Int) { org(id: "org1") { orders(first: $n) { totalCount } } }', variables: { n: 2 ** 40 } },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'missing required variable',
    body: { query: 'query($id: ID!) { org(id: $id) { id } }' },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'bad Date literal',
    body: {
      query:
        'mutation { ingestPrescription(input: {orgId: "org1", shopId: "shop1", patient: {name: "A"}, doctorName: "B", issuedAt: "2026-02-30", items: []}) { userErrors { code } } }',
    },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'bad Decimal variable',
    body: {
      query:
        'mutation($p: Decimal!) { submitOrderRequest(input: {orgId: "org1", shopId: "shop1", customer: {name: "A"}, items: [{name: "x", quantity: 1, unitPrice: $p}]}) { userErrors { code } } }',
      variables: { p: '1e3' },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'mutation over GET', method: 'GET', search: { query: 'mutation { __typename }' }, status: 405, code: 'BAD_REQUEST' },
  { name: 'GET without a query', method: 'GET', search: {}, status: 400, code: 'BAD_REQUEST' },
  {
    name: 'GET with variables that are not JSON',
    method: 'GET',
    search: { query: '{ viewer { mode } }', variables: '{x' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'PUT', method: 'PUT', body: { query: '{ viewer { mode } }' }, status: 405, code: 'BAD_REQUEST' },
  {
    name: 'too many aliases',
    body: { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { mode }`).join(' ')} }` },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'too many directives',
    body: { query: `{ viewer ${'@include(if: true) '.repeat(12)}{ mode } }` },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  { name: 'too many tokens', body: { query: `{ viewer { ${'mode '.repeat(2_100)} } }` }, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  { name: 'document too large', body: { query: `{ viewer { mode } } # ${'x'.repeat(30_000)}` }, status: 413, code: 'BAD_REQUEST' },
  {
    name: 'persisted query hash unknown',
    body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'persisted query hash that does not match the query',
    body: { query: '{ viewer { mode } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } } },
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'no credential', body: { query: '{ viewer { mode } }' }, headers: { apikey: '' }, status: 401, code: 'UNAUTHENTICATED' },
  {
    name: 'over the upstream-call budget',
    body: { query: '{ org(id: "org1") { shops { orders(first: 100) { nodes { items { name } } } } } }' },
    status: 400,
    code: 'QUERY_TOO_EXPENSIVE',
  },
  // Refused while executing: the request is well-formed, the field fails (200 with data null).
  ...(
    [
      ['first out of range', '{ org(id: "org1") { orders(first: 1000) { totalCount } } }'],
      ['first negative', '{ org(id: "org1") { orders(first: -1) { totalCount } } }'],
      ['foreign cursor', '{ org(id: "org1") { orders(after: "zzz") { totalCount } } }'],
      ['UNKNOWN as a filter', '{ org(id: "org1") { orders(filter: {status: UNKNOWN}) { totalCount } } }'],
      ['report limit out of range', '{ org(id: "org1") { reports { productPerformance(limit: 0) { name } } } }'],
    ] as const
  ).map(([name, query]) => ({ name, body: { query }, status: 200, code: 'BAD_USER_INPUT' })),
];

async function send(mistake: Mistake, accept: string) {
  const requestId = `mistake-${randomUUID()}`;
  const url = new URL(stack.gateway.url);
  for (const [name, value] of Object.entries(mistake.search ?? {})) url.searchParams.set(name, value);
  const body = mistake.body === undefined || typeof mistake.body === 'string' ? mistake.body : JSON.stringify(mistake.body);
  const headers: Record<string, string> = {
    accept,
    apikey: 'sandbox-org1-key',
    'x-request-id': requestId,
    ...(mistake.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    ...mistake.headers,
  };
  if (headers.apikey === '') delete headers.apikey;
  const res = await request(url, { method: mistake.method ?? 'POST', headers, body });
  const text = await res.body.text();
  return { requestId, status: res.statusCode, body: JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> } };
}

describe('client mistakes', () => {
  it.each(MISTAKES)('$name: answered $status with $code, no error-level log line, one operation line with that code', async (mistake) => {
    const res = await send(mistake, GRAPHQL_RESPONSE);

    expect(res.status).toBe(mistake.status);
    const codes = (res.body.errors ?? []).map((error) => error.extensions?.code);
    expect(codes).toContain(mistake.code);
    expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    const lines = stack.logs.filter((line) => line.requestId === res.requestId);
    expect(lines.filter((line) => (line.level ?? 0) >= 50)).toEqual([]);
    const operationLines = lines.filter((line) => line.msg === 'graphql operation');
    expect(operationLines).toHaveLength(1);
    expect(operationLines[0]).toMatchObject({ httpStatus: mistake.status, errorCodes: [...new Set(codes)] });
  });

  it('answers an unresolvable operation with 400 under application/json too (not the 200 of a validation error)', async () => {
    const mistakes = MISTAKES.filter((mistake) => mistake.code === 'BAD_REQUEST' && mistake.name.includes('operation'));
    expect(mistakes.length).toBeGreaterThanOrEqual(3);
    for (const mistake of mistakes) {
      const res = await send(mistake, 'application/json');
      expect([mistake.name, res.status, res.body.errors?.[0]?.extensions?.code]).toEqual([mistake.name, mistake.status, 'BAD_REQUEST']);
    }
  });

  it('makes no PharmaOne call for a document whose operation cannot be chosen', async () => {
    stack.sandbox.calls.clear();
    const res = await send(
      {
        name: 'x',
        body: { query: 'query A { org(id: "org1") { shops { id } } } query B { org(id: "org1") { id } }' },
        status: 400,
        code: '',
      },
      GRAPHQL_RESPONSE,
    );
    expect(res.status).toBe(400);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('the one operation log line and metric per request', () => {
  it('records the code the client saw, not INTERNAL_SERVER_ERROR, for upstream refusals and failures', async () => {
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 503 }]);
    try {
      const cases = [
        { query: '{ org(id: "org1") { order(id: "ORD_20990101_doesnotexi") { id } } }', code: 'NOT_FOUND' },
        { query: '{ org(id: "org-nobody-has") { id } }', code: 'UNAUTHENTICATED' },
        { query: '{ org(id: "org1") { shops { id } } }', code: 'UPSTREAM_UNAVAILABLE' },
      ];
      for (const { query, code } of cases) {
        const requestId = `truth-${randomUUID()}`;
        const res = await stack.gql(query, undefined, { headers: { 'x-request-id': requestId } });
        const codes = [...new Set(res.body.errors?.map((error) => error.extensions?.code))];
        expect(codes).toEqual([code]);
        const lines = stack.logs.filter((line) => line.requestId === requestId && line.msg === 'graphql operation');
        expect(lines).toHaveLength(1);
        expect(lines[0]?.errorCodes).toEqual([code]);
      }
    } finally {
      stack.sandbox.faults.clear();
    }
  });

  it('observes one metric per request, including requests refused before Apollo and before the context', async () => {
    const count = async () => {
      const res = await request(stack.gateway.url.replace('/graphql', '/metrics'));
      const text = await res.body.text();
      return [...text.matchAll(/^graphql_operation_duration_seconds_count\{[^}]*\} (\d+)$/gm)].reduce((sum, [, n]) => sum + Number(n), 0);
    };
    const before = await count();
    for (const mistake of MISTAKES) await send(mistake, GRAPHQL_RESPONSE);
    expect((await count()) - before).toBe(MISTAKES.length);
  });
});
