// Operation batching (Apollo Client's BatchHttpLink: a JSON array of operations in one POST),
// through a real gateway and sandbox: one request scope for the whole batch (its operations share
// loaders, so a batch makes the PharmaOne calls of one operation with the union of their fields),
// each operation's own errors in its own slot, and the batch admitted as a whole first (size, and
// the estimates together within one upstream-call budget) — refused whole before any call.
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';

// Budget 12: `first: 5` with item names estimates at 7 calls (5 details + 2 lookups), so one such
// operation fits, and two in one batch (14) do not.
const stack = stackFixture({ env: { UPSTREAM_CALL_BUDGET: '12', GRAPHQL_BATCH_MAX: '3' } });
const off = stackFixture({ env: { GRAPHQL_BATCH_MAX: '0' } });
beforeEach(() => stack.sandbox.calls.clear());

interface Answer {
  status: number;
  body: unknown;
}

async function post(body: unknown, target = stack): Promise<Answer> {
  const res = await request(target.gateway.url, {
    method: 'POST',
    headers: { apikey: ORG1_KEY, 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: JSON.parse(await res.body.text()) };
}

/** The sandbox's call log as a sorted multiset of `METHOD path`. */
function calls(): string[] {
  return stack.sandbox.calls
    .list()
    .map((call) => `${call.method} ${call.path}`)
    .sort();
}

const NAMES = '{ org(id: "org1") { orders(first: 3) { nodes { id status } } } }';
const TOTALS = '{ org(id: "org1") { orders(first: 3) { nodes { id totalAmount { amount } } } } }';
const ITEMS = '{ org(id: "org1") { orders(first: 3) { nodes { id items { name } } } } }';
const UNION = '{ org(id: "org1") { orders(first: 3) { nodes { id status totalAmount { amount } items { name } } } } }';
const FIVE_WITH_ITEMS = '{ org(id: "org1") { orders(first: 5) { nodes { items { name } } } } }';

describe('a batch', () => {
  it('answers each operation in its slot, with the PharmaOne calls of one operation asking for all their fields', async () => {
    // The org's token is cached after the first request: measured both times with it in the cache.
    await post({ query: UNION });
    stack.sandbox.calls.clear();
    await post({ query: UNION });
    const single = calls();
    stack.sandbox.calls.clear();
    const batch = await post([{ query: NAMES }, { query: TOTALS }, { query: ITEMS }]);
    expect(batch.status).toBe(200);
    const answers = batch.body as Array<{ data?: unknown; errors?: unknown }>;
    expect(answers).toHaveLength(3);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(answers.map((answer) => Object.keys((answer.data as { org: object }).org))).toEqual([['orders'], ['orders'], ['orders']]);
    expect(calls()).toEqual(single);
  });

  it('keeps each operation’s own errors', async () => {
    const batch = await post([{ query: NAMES }, { query: '{ org(id: "org1") { nope } }' }]);
    const [ok, refused] = batch.body as Array<{ data?: unknown; errors?: Array<{ extensions: { code: string } }> }>;
    expect(ok?.errors).toBeUndefined();
    expect(ok?.data).toBeDefined();
    expect(refused?.data).toBeUndefined();
    expect(refused?.errors?.map((error) => error.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('over the budget together is refused whole, before any PharmaOne call', async () => {
    const alone = await post({ query: FIVE_WITH_ITEMS });
    expect(alone.status).toBe(200);
    stack.sandbox.calls.clear();
    const batch = await post([{ query: FIVE_WITH_ITEMS }, { query: FIVE_WITH_ITEMS }]);
    expect(batch.status).toBe(400);
    expect(batch.body).toEqual({
      errors: [
        {
          message:
            'This batch could make up to 14 PharmaOne calls together; the limit is 12 for the whole batch. Send fewer operations per batch, or ask for less in each.',
          extensions: { code: 'QUERY_TOO_EXPENSIVE', estimatedUpstreamCalls: 14, upstreamCallBudget: 12 },
        },
      ],
    });
    expect(calls()).toEqual([]);
  });

  it.each([
    [
      'more operations than GRAPHQL_BATCH_MAX',
      () => post(Array(4).fill({ query: NAMES })),
      'A batch holds at most 3 operations (GRAPHQL_BATCH_MAX); this one holds 4.',
    ],
    ['no operation', () => post([]), 'A batch needs at least one operation.'],
    [
      'any batch with GRAPHQL_BATCH_MAX=0',
      () => post([{ query: NAMES }], off),
      'Operation batching is off on this gateway (GRAPHQL_BATCH_MAX=0): send one operation per request.',
    ],
  ])('is refused 400 for %s, before any call', async (_, send, message) => {
    off.sandbox.calls.clear();
    const answer = await send();
    expect(answer).toEqual({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] } });
    expect(calls()).toEqual([]);
    expect(off.sandbox.calls.list()).toEqual([]);
  });

  it('writes one log line for the whole request, counting its operations’ errors together', async () => {
    const requestId = 'batch-log-line-0001';
    await request(stack.gateway.url, {
      method: 'POST',
      headers: { apikey: ORG1_KEY, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify([{ query: NAMES }, { query: '{ org(id: "org1") { nope } }' }]),
    }).then((res) => res.body.text());
    await expect.poll(() => stack.logs.filter((line) => line.requestId === requestId && line.msg === 'graphql operation')).toHaveLength(1);
    expect(stack.logs.find((line) => line.requestId === requestId && line.msg === 'graphql operation')).toMatchObject({
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
  });
});
