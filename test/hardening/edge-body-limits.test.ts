// A request body over its route's limit is answered — 413 with a GraphQL error body — and then the
// connection closes cleanly (the server's FIN, no reset), however the body comes: in one write or
// many, in chunked transfer coding, or only announced by Content-Length. Through a real socket
// whose client keeps writing its body after the answer, as curl does while uploading.
import { describe, expect, it } from 'vitest';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { chunked, exchange, head, parseResponse, slices } from '../support/raw-http.ts';

const stack = stackFixture();

const MB = 1_000_000;
const KIB = 1024;
const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

interface Route {
  name: string;
  path: string;
  limit: number;
  /** Accept header sent (undefined: none) and the media type of the refusal. */
  accept: string | undefined;
  contentType: string;
}

const ROUTES: Route[] = [
  { name: 'POST /graphql', path: '/graphql', limit: 1_000_000, accept: 'application/graphql-response+json', contentType: GRAPHQL_RESPONSE },
  {
    name: 'POST /graphql (Accept: application/json)',
    path: '/graphql',
    limit: 1_000_000,
    accept: 'application/json',
    contentType: JSON_TYPE,
  },
  { name: 'POST /graphql (no Accept)', path: '/graphql', limit: 1_000_000, accept: undefined, contentType: JSON_TYPE },
  { name: 'POST /graphql/stream (SSE)', path: '/graphql/stream', limit: 64 * KIB, accept: 'text/event-stream', contentType: JSON_TYPE },
];

/** A valid GraphQL-over-HTTP body of exactly `size` bytes: `{ viewer { mode } }` padded with JSON whitespace. */
function queryBody(size: number): Buffer {
  const json = '{"query":"{ viewer { mode } }"';
  return Buffer.from(`${json}${' '.repeat(size - json.length - 1)}}`);
}

function fields(route: Route, extra: Record<string, string | number>): Record<string, string | number> {
  return {
    host: 'gateway.test',
    'content-type': 'application/json',
    apikey: ORG1_KEY,
    ...(route.accept === undefined ? {} : { accept: route.accept }),
    ...extra,
  };
}

interface Oversized {
  name: string;
  pieces: (route: Route) => Iterable<Buffer>;
}

/** `size` bytes sent with Content-Length, the head and body in one write or the body in writes of `piece` bytes. */
function withLength(size: (limit: number) => number, piece?: number): Oversized['pieces'] {
  return (route) => {
    const body = queryBody(size(route.limit));
    const start = head('POST', route.path, fields(route, { 'content-length': body.length }));
    return piece === undefined ? [Buffer.concat([start, body])] : [start, ...slices(body, piece)];
  };
}

function inChunks(size: (limit: number) => number, chunk: number): Oversized['pieces'] {
  return (route) => [
    head('POST', route.path, fields(route, { 'transfer-encoding': 'chunked' })),
    ...chunked(queryBody(size(route.limit)), chunk),
  ];
}

function declaredOnly(declared: number, sent: number): Oversized['pieces'] {
  return (route) => [
    head('POST', route.path, fields(route, { 'content-length': declared })),
    ...(sent > 0 ? [Buffer.alloc(sent, 0x20)] : []),
  ];
}

const OVERSIZED: Oversized[] = [
  { name: 'one byte over the limit, in one write', pieces: withLength((limit) => limit + 1) },
  { name: '2 MB in one write', pieces: withLength(() => 2 * MB) },
  { name: '2 MB in 64 KiB writes', pieces: withLength(() => 2 * MB, 64 * KIB) },
  { name: '10 MB in one write', pieces: withLength(() => 10 * MB) },
  { name: '10 MB in 10 KiB writes', pieces: withLength(() => 10 * MB, 10 * KIB) },
  { name: 'chunked: one byte over the limit in 1 KiB chunks', pieces: inChunks((limit) => limit + 1, KIB) },
  { name: 'chunked: 2 MB in one chunk', pieces: inChunks(() => 2 * MB, 2 * MB) },
  { name: 'chunked: 2 MB in 64 KiB chunks', pieces: inChunks(() => 2 * MB, 64 * KIB) },
  { name: 'chunked: 10 MB in 16 KiB chunks', pieces: inChunks(() => 10 * MB, 16 * KIB) },
  { name: 'Content-Length 50 MiB declared, 1 KiB sent', pieces: declaredOnly(50 * KIB * KIB, KIB) },
  { name: 'Content-Length 50 MiB declared, nothing sent', pieces: declaredOnly(50 * KIB * KIB, 0) },
];

const port = () => Number(new URL(stack.gateway.url).port);

describe('a body over the limit', () => {
  const cases = ROUTES.flatMap((route) => OVERSIZED.map((oversized) => ({ route, oversized, title: `${route.name}: ${oversized.name}` })));

  it.each(cases)('$title: 413 with a GraphQL error, then the server closes the connection', async ({ route, oversized }) => {
    const result = await exchange(port(), oversized.pieces(route));

    expect(result.error).toBeUndefined();
    expect(result.endedByServer).toBe(true);
    const res = parseResponse(result.received);
    expect(res.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(res.headers).toMatchObject({ connection: 'close', 'content-type': route.contentType });
    expect(JSON.parse(res.body)).toEqual({
      errors: [{ message: `Request body exceeds ${route.limit} bytes.`, extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(res.rest).toBe(0);
  });

  it('is logged once as 413, without an error-level line', async () => {
    const route = ROUTES[0] as Route;
    const requestId = 'body-limit-0001';
    const body = queryBody(2 * MB);
    await exchange(port(), [head('POST', route.path, fields(route, { 'content-length': body.length, 'x-request-id': requestId })), body]);

    await expect.poll(() => stack.logs.filter((line) => line.requestId === requestId && line.msg === 'graphql operation')).toHaveLength(1);
    expect(stack.logs.find((line) => line.requestId === requestId && line.msg === 'graphql operation')).toMatchObject({ httpStatus: 413 });
    expect(stack.logs.filter((line) => line.requestId === requestId && (line.level ?? 0) >= 50)).toEqual([]);
  });

  it('a client that keeps sending long after its 413 is cut off: the server reads (and drops) a bounded amount', async () => {
    const route = ROUTES[0] as Route;
    const offered = 256 * KIB * KIB;
    const piece = Buffer.alloc(64 * KIB, 0x20);
    function* flood(): Generator<Buffer> {
      yield head('POST', route.path, fields(route, { 'content-length': 1024 * KIB * KIB }));
      for (let sent = 0; sent < offered; sent += piece.length) yield piece;
    }
    const result = await exchange(port(), flood());

    // The whole answer arrived before the cut.
    const res = parseResponse(result.received);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    // The server stopped reading: the client could not hand over half of what it offered (the
    // server drops at most 16 MiB; kernel buffers hold tens more at most).
    expect(result.sentBytes).toBeLessThan(offered / 2);
  });
});

describe('a body within the limit', () => {
  interface Within {
    name: string;
    route: Route;
    pieces: () => Buffer[];
    status: number;
    body: unknown;
  }
  const [graphql, , , sse] = ROUTES as [Route, Route, Route, Route];
  const close = { connection: 'close' };
  const exactly = (route: Route, body: Buffer): Buffer[] => [
    head('POST', route.path, fields(route, { ...close, 'content-length': body.length })),
    body,
  ];
  const WITHIN: Within[] = [
    {
      name: 'POST /graphql: exactly the limit, Content-Length',
      route: graphql,
      pieces: () => exactly(graphql, queryBody(graphql.limit)),
      status: 200,
      body: { data: { viewer: { mode: 'PASS_THROUGH' } } },
    },
    {
      name: 'POST /graphql: exactly the limit, chunked',
      route: graphql,
      pieces: () => [
        head('POST', graphql.path, fields(graphql, { ...close, 'transfer-encoding': 'chunked' })),
        ...chunked(queryBody(graphql.limit), 64 * KIB),
      ],
      status: 200,
      body: { data: { viewer: { mode: 'PASS_THROUGH' } } },
    },
    {
      name: 'POST /graphql: exactly the limit, not JSON',
      route: graphql,
      pieces: () => exactly(graphql, Buffer.alloc(graphql.limit, 0x78)),
      status: 400,
      body: { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] },
    },
    {
      name: 'POST /graphql/stream: exactly the limit (read, then refused as a query)',
      route: sse,
      pieces: () => exactly(sse, queryBody(sse.limit)),
      status: 400,
      body: {
        errors: [
          { message: 'Only subscriptions run here; send queries and mutations to POST /graphql.', extensions: { code: 'BAD_USER_INPUT' } },
        ],
      },
    },
  ];

  it.each(WITHIN)('$name: read and answered $status', async (within) => {
    const result = await exchange(port(), within.pieces());

    expect(result.error).toBeUndefined();
    expect(result.endedByServer).toBe(true);
    const res = parseResponse(result.received);
    expect(res.status).toBe(within.status);
    expect(JSON.parse(res.body)).toEqual(within.body);
  });
});

describe('the other refusals keep their answers, never a reset', () => {
  const route = ROUTES[0] as Route;
  const small = Buffer.from('{"query": ');
  const large = queryBody(10 * MB);
  const REFUSALS: Array<{ name: string; extra: Record<string, string>; body: Buffer; status: number }> = [
    { name: '415 for text/plain', extra: { 'content-type': 'text/plain' }, body: small, status: 415 },
    { name: '415 for text/plain, 10 MB still arriving', extra: { 'content-type': 'text/plain' }, body: large, status: 415 },
    { name: '406 for Accept: text/csv', extra: { accept: 'text/csv' }, body: small, status: 406 },
    { name: '406 for Accept: text/csv, 10 MB still arriving', extra: { accept: 'text/csv' }, body: large, status: 406 },
    { name: '400 for a body that is not JSON', extra: {}, body: small, status: 400 },
  ];
  const MESSAGES: Record<number, string> = {
    415: 'Send the POST body as JSON: content-type application/json (UTF-8).',
    406: 'Accept must allow application/graphql-response+json or application/json.',
    400: 'Request body is not valid JSON.',
  };

  it.each(REFUSALS)('$name (the client asked to close)', async (refusal) => {
    const start = head('POST', route.path, fields(route, { connection: 'close', ...refusal.extra, 'content-length': refusal.body.length }));
    const result = await exchange(port(), [start, ...slices(refusal.body, 64 * KIB)]);

    expect(result.error).toBeUndefined();
    expect(result.endedByServer).toBe(true);
    const res = parseResponse(result.received);
    expect(res.status).toBe(refusal.status);
    expect(JSON.parse(res.body)).toEqual({ errors: [{ message: MESSAGES[refusal.status], extensions: { code: 'BAD_REQUEST' } }] });
  });
});
