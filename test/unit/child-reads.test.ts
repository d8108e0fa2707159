// startChildReads (src/graphql/resolvers/child-reads.ts) must start exactly the child reads
// graphql-js will then make, with exactly their arguments: for every way an operation can select
// a child (aliases, fragments, inline fragments on the type or on a union holding it, @skip and
// @include by literal or variable, variables with defaults, input objects), the arguments a
// prefetch saw equal the arguments the child resolver received, on graphql-js and on graphql-jit
// (whose resolve info is its own). In-process execution over a
// small schema; the gateway's own path is test/graph/shop-child-reads.test.ts.
import { buildSchema, execute, isObjectType, parse } from 'graphql';
import type { GraphQLFieldResolver } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { startChildReads } from '../../src/graphql/resolvers/child-reads.ts';
import { must } from '../support/must.ts';

const schema = buildSchema(`
  type Query { parent(id: ID!): Parent }
  type Parent { id: ID! list(first: Int = 20, after: String, filter: Filter): [Int] other: Int }
  union Either = Parent | Other
  type Other { id: ID }
  input Filter { status: String, tag: String = "none" }
`);

interface Run {
  started: unknown[];
  ran: unknown[];
  /** What the prefetched read does: answer, reject, or throw before it is sent. */
  read: 'answers' | 'rejects' | 'throws';
}

const parent: GraphQLFieldResolver<unknown, Run> = (_source, args, run, info) => {
  startChildReads(info, {
    list: (childArgs) => {
      run.started.push(childArgs);
      if (run.read === 'throws') throw new Error('refused before sending');
      return run.read === 'rejects' ? Promise.reject(new Error('upstream failed')) : Promise.resolve([]);
    },
  });
  return args.id === 'unknown' ? null : { id: args.id };
};
const list: GraphQLFieldResolver<unknown, Run> = (_source, args, run) => {
  run.ran.push(args);
  return [];
};
const parentType = schema.getType('Parent');
if (!isObjectType(parentType)) throw new Error('Parent is an object type');
Object.assign(must(must(schema.getQueryType(), 'Query').getFields().parent, 'Query.parent'), { resolve: parent });
Object.assign(must(parentType.getFields().list, 'Parent.list'), { resolve: list });

/** The same operation compiled by graphql-jit (the gateway's executor for hot documents), whose resolve info is its own. */
async function runJit(query: string, variables: Record<string, unknown> = {}): Promise<Run> {
  const context: Run = { started: [], ran: [], read: 'answers' };
  const compiled = compileQuery(schema, parse(query));
  if (!isCompiledQuery(compiled)) throw new Error(`graphql-jit could not compile: ${JSON.stringify(compiled.errors)}`);
  const result = await compiled.query(undefined, context, variables);
  expect(result.errors).toBeUndefined();
  return context;
}

async function run(query: string, variables: Record<string, unknown> = {}, read: Run['read'] = 'answers'): Promise<Run> {
  const context: Run = { started: [], ran: [], read };
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue: context });
  expect(result.errors).toBeUndefined();
  return context;
}

const CASES: Array<{ name: string; query: string; variables?: Record<string, unknown>; reads: number }> = [
  { name: 'no child selected', query: '{ parent(id: "p") { id } }', reads: 0 },
  { name: 'the child with its schema defaults', query: '{ parent(id: "p") { list } }', reads: 1 },
  {
    name: 'literal arguments and an input object default',
    query: '{ parent(id: "p") { list(first: 5, after: "c", filter: { status: "open" }) } }',
    reads: 1,
  },
  { name: 'null argument', query: '{ parent(id: "p") { list(first: null) } }', reads: 1 },
  {
    name: 'variables, one omitted with a default',
    query: 'query Q($first: Int, $after: String = "d", $f: Filter) { parent(id: "p") { list(first: $first, after: $after, filter: $f) } }',
    variables: { first: 3, f: { tag: 'x' } },
    reads: 1,
  },
  { name: 'two aliases with different arguments', query: '{ parent(id: "p") { a: list(first: 1) b: list(first: 2) } }', reads: 2 },
  { name: 'one response key selected twice', query: '{ parent(id: "p") { list(first: 1) list(first: 1) } }', reads: 1 },
  { name: 'a named fragment', query: '{ parent(id: "p") { ...F } } fragment F on Parent { list(first: 4) }', reads: 1 },
  { name: 'a fragment spread twice', query: '{ parent(id: "p") { ...F ...F } } fragment F on Parent { list(first: 4) }', reads: 1 },
  {
    name: 'nested fragments',
    query: '{ parent(id: "p") { ...A } } fragment A on Parent { ...B } fragment B on Parent { x: list(first: 6) }',
    reads: 1,
  },
  { name: 'an inline fragment without a type', query: '{ parent(id: "p") { ... { list(first: 7) } } }', reads: 1 },
  { name: 'an inline fragment on the type', query: '{ parent(id: "p") { ... on Parent { list(first: 7) } } }', reads: 1 },
  {
    name: 'an inline fragment on a union holding the type',
    query: '{ parent(id: "p") { ... on Either { ... on Parent { list(first: 8) } } } }',
    reads: 1,
  },
  { name: '@skip(if: true) on the field', query: '{ parent(id: "p") { list @skip(if: true) } }', reads: 0 },
  { name: '@skip(if: false) on the field', query: '{ parent(id: "p") { list @skip(if: false) } }', reads: 1 },
  { name: '@include(if: false) on the field', query: '{ parent(id: "p") { list @include(if: false) } }', reads: 0 },
  { name: '@include and @skip both', query: '{ parent(id: "p") { list @include(if: true) @skip(if: true) } }', reads: 0 },
  {
    name: '@include by a variable, false',
    query: 'query Q($on: Boolean!) { parent(id: "p") { list @include(if: $on) } }',
    variables: { on: false },
    reads: 0,
  },
  {
    name: '@include by a variable, true',
    query: 'query Q($on: Boolean!) { parent(id: "p") { list @include(if: $on) } }',
    variables: { on: true },
    reads: 1,
  },
  {
    name: '@skip on a fragment spread, by a variable',
    query: 'query Q($off: Boolean = true) { parent(id: "p") { ...F @skip(if: $off) } } fragment F on Parent { list }',
    reads: 0,
  },
  { name: '@skip on an inline fragment', query: '{ parent(id: "p") { ... @skip(if: true) { list } other } }', reads: 0 },
  {
    name: 'a skipped alias beside a selected one',
    query: '{ parent(id: "p") { a: list(first: 1) @skip(if: true) b: list(first: 2) } }',
    reads: 1,
  },
  {
    name: 'the parent selected twice, merged',
    query: '{ parent(id: "p") { a: list(first: 1) } parent(id: "p") { b: list(first: 2) } }',
    reads: 2,
  },
];

describe('startChildReads', () => {
  it.each(CASES)('$name: starts exactly the reads the child then makes, with its arguments', async ({ query, variables, reads }) => {
    const { started, ran } = await run(query, variables);
    expect(ran).toHaveLength(reads);
    expect(started).toEqual(ran);
  });

  it.each(CASES)('$name, on graphql-jit: the same reads, with the same arguments', async ({ query, variables, reads }) => {
    const { started, ran } = await runJit(query, variables);
    expect(ran).toHaveLength(reads);
    expect(started).toEqual(ran);
  });

  it.each(['rejects', 'throws'] as const)(
    'a read that %s is abandoned quietly: the child still runs, the answer has no error',
    async (read) => {
      const { started, ran } = await run('{ parent(id: "p") { list(first: 2) } }', {}, read);
      expect(started).toEqual([{ first: 2 }]);
      expect(ran).toEqual([{ first: 2 }]);
    },
  );

  it('a null parent: the read was started, the child never runs, and its failure is reported nowhere', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { started, ran } = await run('{ parent(id: "unknown") { list(first: 2) } }', {}, 'rejects');
      expect(started).toEqual([{ first: 2 }]);
      expect(ran).toEqual([]);
      // An unhandled rejection is reported after the microtask queue drains: let one macrotask pass.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
