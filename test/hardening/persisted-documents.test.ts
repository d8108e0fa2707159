// Persisted documents by id (GraphQL over HTTP, Appendix A; src/graphql/persisted-documents.ts):
// `documentId: "sha256:<hex>"` names a document of the safelist manifest on POST, GET, graphql-ws
// and graphql-sse. A document by id runs as its text would, with every admission rule (limits,
// the upstream-call budget, variables, the safelist), on real gateways over a real sandbox whose
// call log shows what reached PharmaOne; ids the gateway cannot resolve are refused before anything.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sha256Hex } from '../../src/graphql/plugins/persisted-queries.ts';
import { waitFor, wsUrl } from '../feed/feed-clients.ts';
import { ORG1_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

const SHOPS = 'query Shops { org(id: "org1") { shops { id name } } }';
const ORDERS = 'query Orders($n: Int) { org(id: "org1") { orders(first: $n) { nodes { items { name } } } } }';
// Over GRAPHQL_MAX_DEPTH below: the manifest is checked against the schema only, so the depth rule meets it at run time.
const DEEP = 'query Deep { org(id: "org1") { orders(first: 1) { nodes { items { product { name } } } } } }';
const SUBMIT = 'mutation Submit($input: SubmitOrderRequestInput!) { submitOrderRequest(input: $input) { userErrors { code } } }';
const TYPES = 'subscription Types { orderEvents(orgId: "org1") { type } }';
const COSTLY = 'subscription Costly { orderEvents(orgId: "org1") { order { items { product { name } } } } }';
const UNLISTED = '{ __typename }';

const idOf = (body: string) => `sha256:${sha256Hex(body)}`;
const UNKNOWN_ID = idOf('query Nobody { __typename }');
const ENV = { GRAPHQL_MAX_DEPTH: '5', UPSTREAM_CALL_BUDGET: '6', ORDER_FEED_POLL_MS: '100' };

let stacks: { enforced: TestStack; open: TestStack; bare: TestStack } | undefined;
const enforced = () => must(stacks, 'started stacks').enforced;

beforeAll(async () => {
  const manifest = join(mkdtempSync(join(tmpdir(), 'persisted-documents-')), 'safelist.json');
  const operations = [SHOPS, ORDERS, DEEP, SUBMIT, TYPES, COSTLY].map((body) => ({ id: sha256Hex(body), body, name: 'x', type: 'query' }));
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  const [enforcedStack, open, bare] = await Promise.all([
    startStack({ env: { ...ENV, PERSISTED_QUERIES_SAFELIST: manifest, PERSISTED_QUERIES_ENFORCE: 'true' } }),
    startStack({ env: { ...ENV, PERSISTED_QUERIES_SAFELIST: manifest } }),
    startStack({ env: ENV }),
  ]);
  stacks = { enforced: enforcedStack, open, bare };
});
afterAll(async () => {
  if (stacks) await Promise.all(Object.values(stacks).map((stack) => stack.close()));
});
beforeEach(() => {
  for (const stack of Object.values(stacks ?? {})) stack.sandbox.calls.clear();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function post(stack: TestStack, body: unknown): Promise<Answer> {
  const res = await request(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', apikey: ORG1_KEY },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Answer['body'] };
}

async function get(stack: TestStack, params: Record<string, string>): Promise<Answer> {
  const url = new URL(stack.gateway.url);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  const res = await request(url, { method: 'GET', headers: { accept: 'application/graphql-response+json', apikey: ORG1_KEY } });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Answer['body'] };
}

/** PharmaOne reads; a key's first request also exchanges it for a token, which is not the operation's. */
const reads = (stack: TestStack) => restCalls(stack.sandbox).filter((call) => call !== 'POST /auth/token');

const refusal = (answer: Answer) => ({ status: answer.status, errors: answer.body.errors?.map((e) => [e.extensions?.code, e.message]) });

describe('a known documentId', () => {
  it('runs its document over POST and GET, with the same answer and PharmaOne calls as its text', async () => {
    const stack = enforced();
    const byText = await post(stack, { query: SHOPS });
    const textCalls = reads(stack);
    stack.sandbox.calls.clear();
    const byPost = await post(stack, { documentId: idOf(SHOPS) });
    const postCalls = reads(stack);
    stack.sandbox.calls.clear();
    const byGet = await get(stack, { documentId: idOf(SHOPS) });
    expect(textCalls).toEqual(['GET /shops']);
    expect([postCalls, reads(stack)]).toEqual([['GET /shops'], ['GET /shops']]);
    expect(byText.body.errors).toBeUndefined();
    expect([byPost.status, byGet.status]).toEqual([200, 200]);
    expect([byPost.body, byGet.body]).toEqual([byText.body, byText.body]);
  });

  it('answers a GET with the cache-control of the operation and a vary naming every credential header', async () => {
    const stack = enforced();
    const byGetText = await get(stack, { query: SHOPS });
    const byId = await get(stack, { documentId: idOf(SHOPS) });
    expect(byId.headers['cache-control']).toBe('max-age=300, private');
    expect(byId.headers['cache-control']).toBe(byGetText.headers['cache-control']);
    const vary = [byId.headers.vary].flat().join(', ');
    expect(vary.split(/,\s*/).sort()).toEqual(['accept', 'apikey', 'authorization', 'origin']);
    expect(byId.headers.vary).toEqual(byGetText.headers.vary);
  });

  it('passes its variables on and checks them: coercion, then the upstream-call budget for their values', async () => {
    const stack = enforced();
    const admitted = await post(stack, { documentId: idOf(ORDERS), variables: { n: 1 } });
    expect(admitted.body.errors).toBeUndefined();
    expect(reads(stack)[0]).toBe('GET /orders?limit=1&offset=0');
    stack.sandbox.calls.clear();
    const budget =
      'This operation could make up to 7 PharmaOne calls; the limit is 6. Ask for smaller pages (first), fewer nested lists, or fewer detail fields per order.';
    const expensivePost = await post(stack, { documentId: idOf(ORDERS), variables: { n: 5 } });
    const expensiveGet = await get(stack, { documentId: idOf(ORDERS), variables: JSON.stringify({ n: 5 }) });
    const wrongType = await post(stack, { documentId: idOf(ORDERS), variables: { n: 'five' } });
    expect([refusal(expensivePost), refusal(expensiveGet)]).toEqual([
      { status: 400, errors: [['QUERY_TOO_EXPENSIVE', budget]] },
      { status: 400, errors: [['QUERY_TOO_EXPENSIVE', budget]] },
    ]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('meets the query limits: a listed document over the depth limit is refused by id as by text', async () => {
    const stack = enforced();
    const [byId, byText] = [await post(stack, { documentId: idOf(DEEP) }), await post(stack, { query: DEEP })];
    expect(byId.status).toBe(400);
    expect(byId.body.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refusal(byId)).toEqual(refusal(byText));
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('refuses a mutation over GET (405) and runs nothing', async () => {
    const stack = enforced();
    const answer = await get(stack, { documentId: idOf(SUBMIT), variables: JSON.stringify({ input: {} }) });
    expect(answer.status).toBe(405);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('ids the gateway cannot run', () => {
  const unknown = {
    status: 404,
    errors: [['PERSISTED_QUERY_NOT_FOUND', 'No persisted document has this documentId.']],
  };
  const malformed = {
    status: 400,
    errors: [['BAD_REQUEST', 'documentId must be "sha256:" followed by 64 lowercase hexadecimal digits.']],
  };
  const hex = sha256Hex(SHOPS);
  const malformedIds: unknown[] = [
    hex,
    `SHA256:${hex}`,
    `sha256:${hex.toUpperCase()}`,
    `sha256:${hex.slice(1)}`,
    `sha256:${hex}0`,
    `sha256:${hex} `,
    `sha256:${'g'.repeat(64)}`,
    `md5:${hex.slice(0, 32)}`,
    `sha256:${hex}${'a'.repeat(100_000)}`,
    '',
    42,
    null,
    [idOf(SHOPS)],
    { id: idOf(SHOPS) },
  ];

  it.each(['enforced', 'open'] as const)(
    'answers an unknown id 404 PERSISTED_QUERY_NOT_FOUND, not stored, on POST and GET (%s)',
    async (name) => {
      const stack = must(stacks, 'started stacks')[name];
      const byPost = await post(stack, { documentId: UNKNOWN_ID });
      const byGet = await get(stack, { documentId: UNKNOWN_ID });
      expect([refusal(byPost), refusal(byGet)]).toEqual([unknown, unknown]);
      expect([byPost.headers['cache-control'], byGet.headers['cache-control']]).toEqual(['no-store', 'no-store']);
      expect(stack.sandbox.calls.list()).toEqual([]);
    },
  );

  it('answers every malformed id 400 BAD_REQUEST without echoing it', async () => {
    const stack = enforced();
    for (const documentId of malformedIds) {
      const answer = await post(stack, { documentId });
      expect(refusal(answer), JSON.stringify(documentId).slice(0, 80)).toEqual(malformed);
    }
    // (The 100 kB one does not fit in a URL: the server's header limit answers it.)
    for (const documentId of malformedIds.filter((id): id is string => typeof id === 'string' && id.length < 1000)) {
      expect(refusal(await get(stack, { documentId })), documentId.slice(0, 80)).toEqual(malformed);
    }
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('refuses an id sent with a document (query, or an APQ hash), and two ids on one GET', async () => {
    const stack = enforced();
    const both = {
      status: 400,
      errors: [['BAD_REQUEST', 'Send either documentId or a document (query or a persisted-query hash), not both.']],
    };
    const apq = { persistedQuery: { version: 1, sha256Hash: sha256Hex(SHOPS) } };
    expect(refusal(await post(stack, { documentId: idOf(SHOPS), query: SHOPS }))).toEqual(both);
    expect(refusal(await post(stack, { documentId: idOf(SHOPS), query: null }))).toEqual(both);
    expect(refusal(await post(stack, { documentId: idOf(SHOPS), extensions: apq }))).toEqual(both);
    expect(refusal(await get(stack, { documentId: idOf(SHOPS), query: SHOPS }))).toEqual(both);
    expect(refusal(await get(stack, { documentId: idOf(SHOPS), extensions: JSON.stringify(apq) }))).toEqual(both);
    const twice = new URL(stack.gateway.url);
    twice.search = `?documentId=${idOf(SHOPS)}&documentId=${idOf(SHOPS)}`;
    const res = await request(twice, { headers: { accept: 'application/graphql-response+json', apikey: ORG1_KEY } });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toEqual({ errors: [{ message: 'Send one documentId.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('refuses a whole batch when one of its ids is unknown', async () => {
    const stack = enforced();
    const answer = await post(stack, [{ documentId: idOf(SHOPS) }, { documentId: UNKNOWN_ID }]);
    expect(refusal(answer)).toEqual(unknown);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('says that documents by id need PERSISTED_QUERIES_SAFELIST when the gateway has none', async () => {
    const stack = must(stacks, 'started stacks').bare;
    const none = {
      status: 400,
      errors: [['BAD_REQUEST', 'This gateway has no persisted documents: documents by id need a manifest in PERSISTED_QUERIES_SAFELIST.']],
    };
    expect(refusal(await post(stack, { documentId: idOf(SHOPS) }))).toEqual(none);
    expect(refusal(await get(stack, { documentId: idOf(SHOPS) }))).toEqual(none);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('the safelist with and without enforcement', () => {
  it('with enforcement runs listed documents (by id or text) and nothing else', async () => {
    const stack = enforced();
    expect((await post(stack, { documentId: idOf(SHOPS) })).body.errors).toBeUndefined();
    const unlisted = await post(stack, { query: UNLISTED });
    expect(refusal(unlisted)).toEqual({
      status: 400,
      errors: [
        ['PERSISTED_QUERY_NOT_IN_LIST', 'This gateway only runs the operations in its persisted-query safelist; this one is not in it.'],
      ],
    });
    expect(reads(stack)).toEqual(['GET /shops']);
  });

  it('without enforcement runs listed documents by id and any document by text', async () => {
    const stack = must(stacks, 'started stacks').open;
    const byId = await post(stack, { documentId: idOf(SHOPS) });
    const unlisted = await post(stack, { query: UNLISTED });
    expect(byId.body.errors).toBeUndefined();
    expect(unlisted.body).toEqual({ data: { __typename: 'Query' } });
    expect(reads(stack)).toEqual(['GET /shops']);
  });
});

/** A raw graphql-transport-ws session: graphql-ws's own client insists on a `query` in every subscribe. */
async function wsSession(stack: TestStack) {
  const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { apikey: ORG1_KEY } }));
  await waitFor(() => messages.some((message) => message.type === 'connection_ack'), 'connection_ack');
  return { socket, messages, send: (message: unknown) => socket.send(JSON.stringify(message)) };
}

describe('subscriptions by id', () => {
  it('graphql-ws: runs a listed subscription by id; refuses an unknown id and one over the budget with an error message', async () => {
    const stack = enforced();
    const session = await wsSession(stack);
    try {
      session.send({ id: 'unknown', type: 'subscribe', payload: { documentId: UNKNOWN_ID } });
      session.send({ id: 'costly', type: 'subscribe', payload: { documentId: idOf(COSTLY) } });
      await waitFor(() => session.messages.filter((message) => message.type === 'error').length === 2, 'two error messages');
      const errors = session.messages.filter((message) => message.type === 'error');
      expect(
        errors.map((message) => [message.id, (message.payload as Array<{ extensions: { code: string } }>)[0]?.extensions.code]),
      ).toEqual([
        ['unknown', 'PERSISTED_QUERY_NOT_FOUND'],
        ['costly', 'QUERY_TOO_EXPENSIVE'],
      ]);
      expect(stack.sandbox.calls.list()).toEqual([]);
      session.send({ id: 'types', type: 'subscribe', payload: { documentId: idOf(TYPES) } });
      // Admitted: the feed holds it.
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the feed holding the subscription');
      expect(session.messages.filter((message) => message.id === 'types' && message.type === 'error')).toEqual([]);
      expect(session.socket.readyState).toBe(WebSocket.OPEN);
    } finally {
      session.socket.close();
    }
    await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'the subscription ended');
  });

  it('graphql-sse: runs a listed subscription by id over POST and GET; refuses an unknown id with its status', async () => {
    const stack = must(stacks, 'started stacks').open;
    const stream = stack.gateway.url.replace(/\/graphql$/, '/graphql/stream');
    const headers = { accept: 'text/event-stream', apikey: ORG1_KEY };
    const unknown = await request(stream, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ documentId: UNKNOWN_ID }),
    });
    expect([unknown.statusCode, await unknown.body.json()]).toEqual([
      404,
      { errors: [{ message: 'No persisted document has this documentId.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
    ]);
    expect(stack.sandbox.calls.list()).toEqual([]);
    for (const method of ['POST', 'GET'] as const) {
      const controller = new AbortController();
      const url = method === 'GET' ? `${stream}?documentId=${idOf(TYPES)}` : stream;
      const res = await request(url, {
        method,
        headers: method === 'GET' ? headers : { ...headers, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify({ documentId: idOf(TYPES) }) } : {}),
        signal: controller.signal,
      });
      try {
        expect([method, res.statusCode, String(res.headers['content-type'])]).toEqual([
          method,
          200,
          expect.stringMatching(/^text\/event-stream/),
        ]);
        await waitFor(() => stack.gateway.feedStats().subscribers === 1, `the feed holding the ${method} subscription`);
      } finally {
        controller.abort();
        await res.body.text().catch(() => undefined);
      }
      await waitFor(() => stack.gateway.feedStats().subscribers === 0, `the ${method} subscription ended`);
    }
  });
});
