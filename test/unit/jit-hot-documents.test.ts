// Which documents graphql-jit compiles (src/graphql/jit-executor.ts): only hot ones, on their
// n-th run within HOT_WINDOW_MS by proven callers, and their plans within a byte budget. Pure unit
// tests of the executor on a small schema, with its own clock; every answer is also compared with
// graphql-js's.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { HOT_WINDOW_MS, createOperationExecutor } from '../../src/graphql/jit-executor.ts';
import type { ExecutorOptions } from '../../src/graphql/jit-executor.ts';
import { must } from '../support/must.ts';

interface Context {
  proven: boolean;
}

const schema = makeExecutableSchema({
  typeDefs: 'type Query { shop(id: ID!): Shop } type Shop { id: ID! name: String tags: [String!]! }',
  resolvers: { Query: { shop: (_: unknown, args: { id: string }) => ({ id: args.id, name: `Shop ${args.id}`, tags: ['a', 'b'] }) } },
});

function harness(options: Partial<ExecutorOptions> = {}) {
  let clock = 1_000_000;
  const execute = createOperationExecutor(schema, {
    jit: true,
    proven: (context) => (context as Context).proven,
    now: () => clock,
    ...options,
  });
  const reference = createOperationExecutor(schema, { jit: false });
  /** `documentKey` null: run without one. */
  async function run(text: string, proven = true, documentKey: string | null = text) {
    const document = parse(text);
    const operation = must(getOperationAST(document), 'an operation');
    const runOf = {
      document,
      operation,
      operationName: operation.name?.value ?? null,
      variables: {},
      documentKey: documentKey ?? undefined,
    };
    const result = await execute({ ...runOf, context: { proven } });
    expect(result).toEqual(await reference({ ...runOf, context: { proven } }));
    return result;
  }
  return { execute, run, advance: (ms: number) => (clock += ms) };
}

const QUERY = '{ shop(id: "1") { id name tags } }';

describe('hot documents', () => {
  it.each([1, 2, 3, 5])('compiles a document on its run number %i by proven callers, then reuses the plan', async (hotAfter) => {
    const { execute, run } = harness({ hotAfter });
    for (let runs = 1; runs < hotAfter; runs++) {
      await run(QUERY);
      expect(execute.sizes().compiled).toBe(0);
    }
    await run(QUERY);
    expect(execute.sizes()).toMatchObject({ compiled: 1, plans: 1 });
    for (let again = 0; again < 10; again++) await run(QUERY);
    expect(execute.sizes()).toMatchObject({ compiled: 1, plans: 1 });
  });

  it('never counts or compiles for callers not proven, however often they send a document', async () => {
    const { execute, run } = harness({ hotAfter: 3 });
    for (let runs = 0; runs < 20; runs++) await run(QUERY, false);
    expect(execute.sizes()).toMatchObject({ compiled: 0, plans: 0, sightingBytes: 0 });
    await run(QUERY);
    await run(QUERY);
    expect(execute.sizes().compiled).toBe(0);
    await run(QUERY);
    expect(execute.sizes().compiled).toBe(1);
  });

  it('lets a compiled plan serve every caller', async () => {
    const { execute, run } = harness({ hotAfter: 1 });
    await run(QUERY);
    await run(QUERY, false);
    expect(execute.sizes()).toMatchObject({ compiled: 1, plans: 1 });
  });

  it('counts only runs within the window that began with the first of them', async () => {
    const { execute, run, advance } = harness({ hotAfter: 3 });
    await run(QUERY);
    await run(QUERY);
    advance(HOT_WINDOW_MS);
    await run(QUERY);
    expect(execute.sizes().compiled).toBe(0);
    advance(HOT_WINDOW_MS - 1);
    await run(QUERY);
    expect(execute.sizes().compiled).toBe(0);
    await run(QUERY);
    expect(execute.sizes().compiled).toBe(1);
  });

  it('compiles nothing without a document key, or with jit off', async () => {
    const withoutKey = harness({ hotAfter: 1 });
    for (let runs = 0; runs < 5; runs++) await withoutKey.run(QUERY, true, null);
    expect(withoutKey.execute.sizes()).toMatchObject({ compiled: 0, plans: 0 });
    const off = harness({ hotAfter: 1, jit: false });
    for (let runs = 0; runs < 5; runs++) await off.run(QUERY);
    expect(off.execute.sizes()).toMatchObject({ compiled: 0, plans: 0 });
  });
});

describe('the byte budgets', () => {
  const distinct = (index: number) => `{ s${index}: shop(id: "${index}") { id name tags } }`;

  it('keeps compiled plans within their budget, least recently used out', async () => {
    const plans = 512 * 1024;
    const { execute, run } = harness({ hotAfter: 1, budgets: { plans, sightings: 1024 * 1024 } });
    for (let index = 0; index < 60; index++) await run(distinct(index));
    const sizes = execute.sizes();
    expect(sizes.compiled).toBe(60);
    expect(sizes.planBytes).toBeLessThanOrEqual(plans);
    expect(sizes.plans).toBeLessThan(60);
    expect(sizes.plans).toBeGreaterThan(0);
    // The most recent one is still compiled; the first was pushed out and is cold again.
    await run(distinct(59));
    expect(execute.sizes().compiled).toBe(60);
  });

  it('runs a document whose plan would take more than an eighth of the budget on graphql-js, without compiling it again', async () => {
    const { execute, run } = harness({ hotAfter: 1, budgets: { plans: 64 * 1024, sightings: 1024 * 1024 } });
    const wide = `{ ${Array.from({ length: 30 }, (_, index) => `s${index}: shop(id: "${index}") { id name tags }`).join(' ')} }`;
    for (let runs = 0; runs < 5; runs++) await run(wide);
    expect(execute.sizes()).toMatchObject({ compiled: 0, plans: 1 });
  });

  it('keeps the run counts within their budget', async () => {
    const sightings = 32 * 1024;
    const { execute, run } = harness({ hotAfter: 3, budgets: { plans: 1024 * 1024, sightings } });
    for (let index = 0; index < 2_000; index++) await run(distinct(index));
    expect(execute.sizes().sightingBytes).toBeLessThanOrEqual(sightings);
    expect(execute.sizes().sightingBytes).toBeGreaterThan(sightings / 2);
    expect(execute.sizes().compiled).toBe(0);
  });
});
