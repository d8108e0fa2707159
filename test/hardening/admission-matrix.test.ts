// Every transport runs every admission rule (src/graphql/admission-policy.ts): for each (rule,
// transport) pair the policy says applies, a violating request goes over that transport to a real
// gateway and sandbox, and the answer must be the rule's one refusal — the same code and message
// on every transport — with no PharmaOne call. The cases are generated from the policy: a pair
// without a case builder (test/support/admission-cases.ts) fails, and so does a builder for a pair
// the policy exempts. `prepared` is a repeated POST: an admitted request of the same document is
// sent twice first and the second must be served by the fast path; the violating one must not be.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMISSION_POLICY, TRANSPORTS } from '../../src/graphql/admission-policy.ts';
import type { Transport } from '../../src/graphql/admission-policy.ts';
import { sha256Hex } from '../../src/graphql/plugins/persisted-queries.ts';
import { connectWs, waitFor } from '../feed/feed-clients.ts';
import { ADMISSION_CASES, LISTED, MATRIX_ENV } from '../support/admission-cases.ts';
import type { Expected, Violation } from '../support/admission-cases.ts';
import {
  batchGraphql,
  getGraphql,
  operationLinesDuring,
  postGraphql,
  servedBy,
  sseSubscribe,
  wsSubscribe,
} from '../support/admission-transports.ts';
import type { Outcome } from '../support/admission-transports.ts';
import { ORG1_KEY, startStack } from '../support/gateway.ts';
import type { LogLine, TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

interface Stacks {
  strict: TestStack;
  strictSubgraph: TestStack;
  safelisted: TestStack;
  safelistedSubgraph: TestStack;
}
let stacks: Stacks | undefined;

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'admission-matrix-'));
  const manifest = join(folder, 'safelist.json');
  const operations = [{ id: sha256Hex(LISTED), body: LISTED, name: 'Listed', type: 'query' }];
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
  const safelist = { PERSISTED_QUERIES_SAFELIST: manifest, PERSISTED_QUERIES_ENFORCE: 'true' };
  const subgraph = { FEDERATION_SUBGRAPH: 'true' };
  const [strict, strictSubgraph, safelisted, safelistedSubgraph] = await Promise.all([
    startStack({ env: MATRIX_ENV }),
    startStack({ env: { ...MATRIX_ENV, ...subgraph } }),
    startStack({ env: { ...MATRIX_ENV, ...safelist } }),
    startStack({ env: { ...MATRIX_ENV, ...safelist, ...subgraph } }),
  ]);
  stacks = { strict, strictSubgraph, safelisted, safelistedSubgraph };
});
afterAll(async () => {
  if (stacks) await Promise.all(Object.values(stacks).map((stack) => stack.close()));
});

function stackFor(kind: 'strict' | 'safelisted', transport: Transport): TestStack {
  const all = must(stacks, 'the started stacks');
  if (kind === 'strict') return transport === 'entities' ? all.strictSubgraph : all.strict;
  return transport === 'entities' ? all.safelistedSubgraph : all.safelisted;
}

/** Sends the violation over the transport; for `prepared`, after teaching the fast path its document. */
async function send(stack: TestStack, transport: Transport, violation: Violation, kind: 'strict' | 'safelisted'): Promise<Outcome> {
  const { request, tweak } = violation;
  switch (transport) {
    case 'batch':
      // Beside it, an operation this gateway admits (on a safelisted one, the listed document).
      return batchGraphql(stack, request, { query: kind === 'safelisted' ? LISTED : '{ __typename }' }, tweak);
    case 'post':
    case 'entities':
      return postGraphql(stack, request, tweak);
    case 'get':
      return getGraphql(stack, request, tweak);
    case 'ws':
      return wsSubscribe(stack, request, tweak);
    case 'sse':
      return sseSubscribe(stack, request, tweak);
    case 'prepared':
      return sendPrepared(stack, violation);
    case 'incremental':
      return postGraphql(stack, request, { ...tweak, headers: { accept: INCREMENTAL_ACCEPT, ...tweak?.headers } });
  }
}

async function sendPrepared(stack: TestStack, violation: Violation): Promise<Outcome> {
  if (violation.teach) {
    await postGraphql(stack, violation.teach);
    const before = await servedBy(stack);
    const taught = await postGraphql(stack, violation.teach);
    expect(taught.errors, 'the teaching request is admitted').toEqual([]);
    expect((await servedBy(stack)).prepared, 'the fast path serves the document once taught').toBe(before.prepared + 1);
  } else {
    // A document Apollo refuses is never kept: the same document again is Apollo's again.
    await postGraphql(stack, violation.request, violation.tweak);
  }
  stack.sandbox.calls.clear();
  const before = await servedBy(stack);
  const outcome = await postGraphql(stack, violation.request, violation.tweak);
  expect((await servedBy(stack)).prepared, 'the fast path serves no violating request').toBe(before.prepared);
  return outcome;
}

/** One subscription of the caller held open, for the subscription limits. */
async function holdSubscription(stack: TestStack): Promise<() => Promise<void>> {
  const connection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
  connection.subscribe({ orgId: 'org1' });
  await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the held subscription');
  return async () => {
    await connection.dispose();
    await waitFor(() => stack.gateway.feedStats().subscribers === 0 && stack.gateway.feedStats().pollers === 0, 'nobody subscribed');
  };
}

function expectRefusal(outcome: Outcome, expected: Expected): void {
  if (expected.closeCode !== undefined) {
    expect(outcome).toEqual({ errors: [], closeCode: expected.closeCode });
    return;
  }
  expect(outcome.errors).toEqual([{ message: expected.message, code: expected.code }]);
  expect(outcome.closeCode).toBeUndefined();
  // In a batch refused operation by operation, the admitted one beside it still runs.
  if (outcome.companionAnswered !== undefined) expect(outcome.companionAnswered, 'the batched operation beside it ran').toBe(true);
  if (expected.status !== undefined) expect(outcome.status).toBe(expected.status);
}

const LOGGED_AS: Record<Transport, string> = {
  post: 'http',
  get: 'http',
  prepared: 'http',
  entities: 'http',
  batch: 'http',
  ws: 'graphql-ws',
  sse: 'graphql-sse',
  incremental: 'http',
};

/** What Apollo Client 4's GraphQL17Alpha9Handler sends for a document with @defer or @stream. */
const INCREMENTAL_ACCEPT = 'multipart/mixed;incrementalSpec=v0.2,application/graphql-response+json,application/json;q=0.9';

/**
 * One response writer: each refused request wrote exactly one per-operation log line (and
 * metric), on whichever transport, with its status and code; admitted requests sent around it
 * (the fast path's teaching, a held subscription) wrote lines without errors.
 */
function expectRefusalLines(lines: LogLine[], transport: Transport, expected: Expected, sent: number): void {
  // A WebSocket refused at connection_init carries no operation.
  if (expected.closeCode !== undefined) return;
  const refusals = lines.filter((line) => Array.isArray(line.errorCodes) && line.errorCodes.length > 0);
  const line = expect.objectContaining({ transport: LOGGED_AS[transport], errorCodes: [expected.code] });
  expect(refusals).toEqual(Array.from({ length: sent }, () => line));
  if (expected.status !== undefined && transport !== 'ws') for (const refusal of refusals) expect(refusal.httpStatus).toBe(expected.status);
}

const pairs = ADMISSION_POLICY.flatMap((rule) =>
  TRANSPORTS.map((transport) => ({ rule: rule.name, transport, applies: rule.transports[transport] === true })),
);

describe('the matrix covers the policy', () => {
  it("has cases for the policy's rules only", () => {
    expect(Object.keys(ADMISSION_CASES).sort()).toEqual(ADMISSION_POLICY.map((rule) => rule.name).sort());
  });

  it.each(pairs)('$rule over $transport: a case builder exactly where the rule applies', ({ rule, transport, applies }) => {
    const builder = ADMISSION_CASES[rule].cases[transport];
    if (applies) expect(builder, `no case builder for (${rule}, ${transport})`).toBeTypeOf('function');
    else
      expect(
        builder,
        `(${rule}, ${transport}) is exempt: ${String(ADMISSION_POLICY.find((r) => r.name === rule)?.transports[transport])}`,
      ).toBeUndefined();
  });
});

describe.each(ADMISSION_POLICY.map((rule) => rule.name))('%s', (rule) => {
  const applying = pairs.filter((pair) => pair.rule === rule && pair.applies);
  it.each(applying)('is refused over $transport, alike and before any PharmaOne call', async ({ transport }) => {
    const cases = ADMISSION_CASES[rule];
    const violation = must(cases.cases[transport], `a case builder for (${rule}, ${transport})`)();
    const stack = stackFor(cases.stack, transport);
    const release = violation.holdSubscription ? await holdSubscription(stack) : undefined;
    try {
      if (!violation.holdSubscription) stack.sandbox.calls.clear();
      const { result: outcome, lines } = await operationLinesDuring(stack, () => send(stack, transport, violation, cases.stack));
      const expected = typeof cases.expected === 'function' ? cases.expected(transport) : cases.expected;
      expectRefusal(outcome, expected);
      // `prepared` without a document to teach sends the violation twice (sendPrepared).
      expectRefusalLines(lines, transport, expected, transport === 'prepared' && !violation.teach ? 2 : 1);
      const calls = violation.quietOrg ? stack.sandbox.calls.list({ org: violation.quietOrg }) : stack.sandbox.calls.list();
      expect(calls).toEqual([]);
    } finally {
      await release?.();
    }
  });
});
