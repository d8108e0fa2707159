// What the feed's transports refuse, before any PharmaOne call: missing credentials, operations
// that are not subscriptions, documents past the query limits, malformed requests — each with a
// clear answer, and nothing upstream.
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { connectWs, waitFor } from './feed-clients.ts';

const stack = stackFixture({ env: { GRAPHQL_MAX_DEPTH: '4' } });
beforeEach(() => stack.sandbox.calls.clear());

const streamUrl = () => stack.gateway.url.replace(/\/graphql$/, '/graphql/stream');

describe('over WebSocket', () => {
  it.each([
    [
      'a query',
      '{ org(id: "org1") { id } }',
      'BAD_USER_INPUT',
      'Only subscriptions run here; send queries and mutations to POST /graphql.',
    ],
    [
      'a mutation',
      'mutation { updateOrderStatus(input: { orgId: "org1", orderId: "x", status: PACKED }) { userErrors { code } } }',
      'BAD_USER_INPUT',
      'Only subscriptions run here; send queries and mutations to POST /graphql.',
    ],
    [
      'an unknown field',
      'subscription { orderEvents(orgId: "org1") { nope } }',
      'GRAPHQL_VALIDATION_FAILED',
      expect.stringMatching(/^Cannot query field "nope" on type "OrderEvent"\./),
    ],
    [
      'a document deeper than GRAPHQL_MAX_DEPTH',
      'subscription { orderEvents(orgId: "org1") { order { items { product { shop { name } } } } } }',
      'GRAPHQL_VALIDATION_FAILED',
      'Syntax Error: Query depth limit of 4 exceeded, found 6.',
    ],
    ['a document that does not parse', 'subscription { orderEvents(', 'GRAPHQL_PARSE_FAILED', expect.stringMatching(/^Syntax Error/)],
  ])('refuses %s with no PharmaOne call', async (_what, query, code, message) => {
    const connection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
    const received = connection.subscribe({}, query);
    await waitFor(() => received.failure !== undefined || received.completed, 'the refusal');
    const errors = (received.failure ?? received.errors) as Array<{ message: string; extensions?: { code?: string } }>;
    expect(errors).toEqual([expect.objectContaining({ message, extensions: expect.objectContaining({ code }) })]);
    expect(stack.sandbox.calls.list()).toEqual([]);
    await connection.dispose();
  });

  it('closes a connection without a credential with 4401 and the reason', async () => {
    const connection = connectWs(stack.gateway.url, {});
    connection.subscribe({ orgId: 'org1' });
    expect(await connection.closed).toEqual({ code: 4401, reason: 'Send your PharmaOne integration key in the "apikey" request header.' });
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('over SSE', () => {
  async function post(headers: Record<string, string>, body: string) {
    const res = await request(streamUrl(), {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }
  const subscription = JSON.stringify({ query: 'subscription { orderEvents(orgId: "org1") { type } }' });

  it('answers 401 without a credential', async () => {
    const res = await post({}, subscription);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({
      errors: [{ message: 'Send your PharmaOne integration key in the "apikey" request header.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('refuses single-connection mode and oversized bodies', async () => {
    expect((await post({ apikey: ORG1_KEY, 'x-graphql-event-stream-token': 't' }, subscription)).status).toBe(400);
    expect((await post({ apikey: ORG1_KEY, 'content-length': String(70 * 1024) }, 'x'.repeat(70 * 1024))).status).toBe(413);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('with suggestions off (as in production)', () => {
  const quiet = stackFixture({ env: { GRAPHQL_FIELD_SUGGESTIONS: 'false' } });

  it.each([
    ['a misspelled field', 'subscription { orderEvents(orgId: "org1") { typ } }'],
    ['a misspelled enum value', 'subscription { orderEvents(orgId: "org1", statuses: [PENDIN]) { type } }'],
    ['a misspelled argument', 'subscription { orderEvents(orgID: "org1") { type } }'],
  ])('refuses %s without a "Did you mean" and with no PharmaOne call', async (_what, query) => {
    quiet.sandbox.calls.clear();
    const connection = connectWs(quiet.gateway.url, { apikey: ORG1_KEY });
    const received = connection.subscribe({}, query);
    await waitFor(() => received.failure !== undefined || received.completed, 'the refusal');
    const errors = (received.failure ?? received.errors) as Array<{ message: string }>;
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error.message).not.toMatch(/Did you mean/i);
    expect(quiet.sandbox.calls.list()).toEqual([]);
    await connection.dispose();
  });
});
