// Query safety: abusive operations are refused before they cost a single PharmaOne call.
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { startStack, stackFixture } from '../support/gateway.ts';

// With this media type a refused request answers 4xx (with plain application/json, the GraphQL
// over HTTP spec keeps 200 for request errors).
const STRICT = { headers: { accept: 'application/graphql-response+json' } };

const stack = stackFixture();
beforeEach(() => stack.sandbox.calls.clear());

function expectRefusedWithoutUpstreamCall(
  res: { status: number; body: { errors?: Array<{ extensions?: Record<string, unknown> }> } },
  code: string,
) {
  // Every refusal here must happen before the token exchange, let alone a data call.
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(stack.sandbox.calls.list()).toEqual([]);
}

describe('document limits', () => {
  it('refuses an operation deeper than 12 levels', async () => {
    const deep =
      '{ org(id: "org1") { shops { orders { nodes { shop { orders { nodes { shop { orders { nodes { shop { orders { nodes { id } } } } } } } } } } } } } }';
    expectRefusedWithoutUpstreamCall(await stack.gql(deep, undefined, STRICT), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses more than 30 aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: viewer { mode }`).join(' ');
    expectRefusedWithoutUpstreamCall(await stack.gql(`{ ${aliases} }`, undefined, STRICT), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses more than 10 directives', async () => {
    const directives = Array.from({ length: 11 }, () => '@include(if: true)').join(' ');
    expectRefusedWithoutUpstreamCall(await stack.gql(`{ viewer ${directives} { mode } }`, undefined, STRICT), 'GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses more than 2000 tokens', async () => {
    const fields = Array.from({ length: 2_000 }, () => 'mode').join(' ');
    const res = await stack.gql(`{ viewer { ${fields} } }`, undefined, STRICT);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toMatch(/token/i);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('refuses a document over 20000 bytes with 413', async () => {
    const res = await stack.gql(`{ viewer { mode } } # ${'x'.repeat(20_000)}`);
    expect(res.status).toBe(413);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('the upstream-call budget', () => {
  it('refuses an operation whose estimated fan-out exceeds the budget, saying how much it would cost', async () => {
    const res = await stack.gql('{ org(id: "org1") { shops { orders(first: 100) { nodes { items { name } } } } } }', undefined, STRICT);

    expectRefusedWithoutUpstreamCall(res, 'QUERY_TOO_EXPENSIVE');
    // 5 assumed shops × (1 list + 100 details) + 1 shops call + 1 token exchange (declared on Query.org
    // since the costs live on the fields, and counted by the client like every other HTTP request)
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ estimatedUpstreamCalls: 507, upstreamCallBudget: 300 });
  });

  it('uses variables in the estimate', async () => {
    const query = 'query Q($n: Int) { org(id: "org1") { orders(first: $n) { nodes { customerEmail } } } }';
    const small = await stack.gql(query, { n: 5 });
    stack.sandbox.calls.clear();
    const large = await stack.gql(
      'query Q($n: Int) { org(id: "org1") { a: orders(first: $n) { nodes { customerEmail } } b: orders(first: $n, after: "cG8xOm9mZnNldDo5OQ") { nodes { customerEmail } } c: orders(first: $n) { nodes { items { name } } } } }',
      { n: 100 },
      STRICT,
    );

    expect(small.body.errors).toBeUndefined();
    expectRefusedWithoutUpstreamCall(large, 'QUERY_TOO_EXPENSIVE');
  });

  it('stops at the budget during execution when the estimate was too low', async () => {
    // Assume 1 shop per org so the estimate (1 × (1 + 5) + 1 + 1 token exchange = 8) passes a budget of 10; org1 has 2 shops: 13 calls needed.
    const tight = await startStack({ env: { UPSTREAM_CALL_BUDGET: '10', UPSTREAM_BUDGET_SHOPS_PER_ORG: '1' } });
    try {
      await tight.gql('{ org(id: "org1") { id } }');
      tight.sandbox.calls.clear();

      const res = await tight.gql('{ org(id: "org1") { shops { orders(first: 5) { nodes { items { name } } } } } }');

      expect(tight.sandbox.calls.list()).toHaveLength(10);
      expect(res.body.errors?.map((error) => error.extensions?.code)).toContain('QUERY_TOO_EXPENSIVE');
    } finally {
      await tight.close();
    }
  });
});

describe('Apollo hardening', () => {
  // Batching is offered since issue 22 (BatchHttpLink), bounded: more than GRAPHQL_BATCH_MAX (10 by
  // default) operations in one POST are refused whole (test/graph/batching.test.ts has the rest).
  it('refuses a batch of more operations than GRAPHQL_BATCH_MAX by default', async () => {
    const res = await request(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
      body: JSON.stringify(Array(11).fill({ query: '{ viewer { mode } }' })),
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.text()).toContain('A batch holds at most 10 operations (GRAPHQL_BATCH_MAX); this one holds 11.');
  });

  it('refuses a simple cross-site POST (CSRF prevention)', async () => {
    const res = await request(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', apikey: 'sandbox-org1-key' },
      body: JSON.stringify({ query: '{ viewer { mode } }' }),
    });
    // 415 (not a GraphQL media type) or Apollo's CSRF 400: either way it never executes.
    expect([400, 415]).toContain(res.statusCode);
    await res.body.dump();
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('in production hides introspection and field suggestions unless enabled', async () => {
    const production = await startStack({ env: { NODE_ENV: 'production' } });
    const enabled = await startStack({ env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' } });
    try {
      const introspection = await production.gql('{ __schema { queryType { name } } }', undefined, STRICT);
      const typo = await production.gql('{ viewr { mode } }');
      const allowed = await enabled.gql('{ __schema { queryType { name } } }');

      expect(introspection.status).toBe(400);
      expect(JSON.stringify(introspection.body)).toMatch(/introspection/i);
      expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
      expect(allowed.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    } finally {
      await production.close();
      await enabled.close();
    }
  });

  it('suggests fields outside production, where analysts explore', async () => {
    const typo = await stack.gql('{ viewr { mode } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "viewer"/);
  });
});
