// graphql-jit as Apollo's executor (src/graphql/jit-executor.ts) must answer exactly what
// graphql-js answers: the same status, the same body byte for byte (data, error messages, paths,
// locations, codes, masking) and the same PharmaOne calls. Two stacks on identically seeded
// sandboxes, one with GRAPHQL_JIT=false, run a table of operations covering what the graph uses:
// nested lists, aliases, fragments, variables with and without defaults, invalid variables,
// custom scalars in and out, enums, null parents, field errors with partial data, refusals,
// introspection (which falls back to graphql-js) and mutations answering userErrors.
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { jitEligible } from '../../src/graphql/jit-executor.ts';
import { request } from 'undici';
import { proveSandboxKeys, startStack } from '../support/gateway.ts';
import { OPERATION_CASES as CASES } from '../support/operation-cases.ts';
import type { TestStack } from '../support/gateway.ts';

describe('graphql-jit executor against graphql-js', () => {
  let jit: TestStack;
  let js: TestStack;
  beforeAll(async () => {
    // Compiled on the first run (3 by default): each case runs once here. Only proven callers'
    // runs compile a document, so each key proves itself first.
    [jit, js] = await Promise.all([
      startStack({ env: { GRAPHQL_JIT: 'true', GRAPHQL_JIT_HOT_AFTER: '1' } }),
      startStack({ env: { GRAPHQL_JIT: 'false' } }),
    ]);
    await Promise.all([proveSandboxKeys(jit), proveSandboxKeys(js)]);
  });
  afterAll(() => Promise.all([jit.close(), js.close()]));

  it.each(CASES)('$name: same status, body and PharmaOne calls', async ({ query, variables, apikey, headers }) => {
    jit.sandbox.calls.clear();
    js.sandbox.calls.clear();
    const options = { ...(apikey ? { apikey } : {}), ...(headers ? { headers } : {}) };
    const [fromJit, fromJs] = await Promise.all([jit.gql(query, variables, options), js.gql(query, variables, options)]);

    expect(fromJit.status).toBe(fromJs.status);
    // The request id and each sandbox's port differ; everything else must match.
    const withoutIds = (body: unknown) =>
      JSON.stringify(body)
        .replace(/"requestId":"[^"]*"/g, '"requestId":"…"')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:port');
    expect(withoutIds(fromJit.body)).toBe(withoutIds(fromJs.body));
    const calls = (stack: TestStack) =>
      stack.sandbox.calls
        .list()
        .map((call) => `${call.method} ${call.path}`)
        .sort();
    expect(calls(jit)).toEqual(calls(js));
  });

  it('runs the table on both paths: most operations compiled, introspection on graphql-js', async () => {
    const schema = buildGatewaySchema();
    const eligible = CASES.map(({ query }) => {
      const document = parse(query);
      return jitEligible(schema, document, document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode);
    });
    // Introspection is not compiled; the ftv1 case is compiled but runs on graphql-js by its header.
    expect(eligible.filter(Boolean)).toHaveLength(CASES.length - 1);
    expect(eligible[CASES.findIndex((c) => c.name.startsWith('introspection'))]).toBe(false);
    // The jit stack did compile them; the other has nothing to compile.
    expect(await planBytes(jit)).toBeGreaterThan(0);
    expect(await planBytes(js)).toBe(0);
  });
});

/** Heap the stack's compiled plans hold, from its /metrics. */
async function planBytes(stack: TestStack): Promise<number> {
  const text = await (await request(`${stack.gateway.listenUrl}/metrics`)).body.text();
  return Number(/^graphql_document_cache_bytes\{cache="plans"\} (\S+)$/m.exec(text)?.[1]);
}
