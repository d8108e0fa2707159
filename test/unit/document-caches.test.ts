// The caches kept per query text (src/graphql/document-caches.ts) under Apollo Server's real
// request pipeline (executeOperation, in process): parsed documents and APQ registrations of
// proven callers are kept within their byte shares, those of callers not proven go to a small
// share of their own (documents) or nowhere (registrations), and a request that proves its caller
// on the way (a token exchange while it executes: here a resolver setting the flag) counts as proven.
import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { createDocumentCacheGate, DEFAULT_DOCUMENT_CACHE_BYTES, splitDocumentCacheBudget } from '../../src/graphql/document-caches.ts';
import type { DocumentCacheBudgets } from '../../src/graphql/document-caches.ts';
import { memoryApqCache } from '../../src/graphql/plugins/persisted-queries.ts';

interface TestContext {
  proven: boolean;
}

const schema = makeExecutableSchema({
  typeDefs: 'type Query { hello: String prove: Boolean }',
  resolvers: {
    Query: {
      hello: () => 'hi',
      prove: (_: unknown, __: unknown, context: TestContext) => {
        context.proven = true;
        return true;
      },
    },
  },
});

const MiB = 2 ** 20;

function server(budgets: Partial<DocumentCacheBudgets> = {}) {
  const gate = createDocumentCacheGate({
    budgets: { ...splitDocumentCacheBudget(DEFAULT_DOCUMENT_CACHE_BYTES), ...budgets },
    proven: (context) => (context as TestContext).proven === true,
  });
  const apq = memoryApqCache(4 * MiB);
  let parsed = 0;
  const apollo = new ApolloServer<TestContext>({
    schema,
    documentStore: gate.documentStore,
    persistedQueries: { cache: gate.apq(apq), ttl: null },
    plugins: [
      gate.plugin,
      // Apollo parses only what its document store does not hold.
      {
        async requestDidStart() {
          return {
            async parsingDidStart() {
              parsed++;
            },
          };
        },
      },
    ],
  });
  async function run(query: string | undefined, proven: boolean, hash?: string) {
    const extensions = hash ? { persistedQuery: { version: 1, sha256Hash: hash } } : undefined;
    const response = await apollo.executeOperation({ query, extensions }, { contextValue: { proven } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  }
  return { gate, apollo, apq, run, parsed: () => parsed };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const distinct = (index: number) => `{ d${index}: hello ${Array.from({ length: 20 }, (_, a) => `a${index}_${a}: __typename`).join(' ')} }`;

describe('the budget split', () => {
  it.each([1, 16, 64, 1_000])('gives every cache a share of %i MiB and never more than the total', (mb) => {
    const budgets = splitDocumentCacheBudget(mb * MiB);
    const shares = Object.values(budgets);
    expect(shares.every((share) => share > 0)).toBe(true);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeLessThanOrEqual(mb * MiB);
    expect(budgets.unprovenDocuments).toBeLessThanOrEqual((mb * MiB) / 16);
  });
});

describe("Apollo's document store", () => {
  it('keeps a proven caller’s documents in their share, an unproven caller’s in the small one', async () => {
    const { gate, apollo, run } = server();
    await apollo.start();
    await run('{ hello }', true);
    const afterProven = gate.bytes();
    expect(afterProven.documents).toBeGreaterThan(0);
    expect(afterProven.unprovenDocuments).toBe(0);
    await run('{ other: hello }', false);
    expect(gate.bytes()).toEqual({ documents: afterProven.documents, unprovenDocuments: expect.any(Number) });
    expect(gate.bytes().unprovenDocuments).toBeGreaterThan(0);
    await apollo.stop();
  });

  it('lets unproven callers push out only each other: their share stays in its bytes, proven documents stay', async () => {
    const unproven = 256 * 1024;
    const { gate, apollo, run, parsed } = server({ unprovenDocuments: unproven });
    await apollo.start();
    await run('{ hello }', true);
    const proven = gate.bytes().documents;
    for (let index = 0; index < 300; index++) expect((await run(distinct(index), false)).errors).toBeUndefined();
    expect(gate.bytes().unprovenDocuments).toBeLessThanOrEqual(unproven);
    expect(gate.bytes().unprovenDocuments).toBeGreaterThan(unproven / 2);
    expect(gate.bytes().documents).toBe(proven);
    // The proven caller's document is still there: not parsed again.
    const before = parsed();
    await run('{ hello }', true);
    expect(parsed()).toBe(before);
    // The oldest unproven ones are not.
    await run(distinct(0), false);
    expect(parsed()).toBe(before + 1);
    await apollo.stop();
  });

  it('keeps proven documents within their share too', async () => {
    const documents = 256 * 1024;
    const { gate, apollo, run } = server({ documents });
    await apollo.start();
    for (let index = 0; index < 300; index++) await run(distinct(index), true);
    expect(gate.bytes().documents).toBeLessThanOrEqual(documents);
    expect(gate.bytes().documents).toBeGreaterThan(documents / 2);
    await apollo.stop();
  });

  it('moves the document of a request that proved its caller while it ran to the proven share', async () => {
    const { gate, apollo, run } = server();
    await apollo.start();
    expect((await run('{ prove }', false)).data).toEqual({ prove: true });
    expect(gate.bytes().unprovenDocuments).toBe(0);
    expect(gate.bytes().documents).toBeGreaterThan(0);
    await apollo.stop();
  });
});

describe('APQ registrations', () => {
  const query = '{ hello }';
  const hash = sha256(query);
  const notFound = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
    result.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND';

  it.each([
    { who: 'a proven caller', proven: true, kept: true },
    { who: 'a caller never proven', proven: false, kept: false },
  ])('of $who: kept $kept', async ({ proven, kept }) => {
    const { apollo, run } = server();
    await apollo.start();
    expect((await run(query, proven, hash)).data).toEqual({ hello: 'hi' });
    const byHash = await run(undefined, true, hash);
    expect(notFound(byHash)).toBe(!kept);
    await apollo.stop();
  });

  it('that no request announced: not written (nothing is kept by default)', async () => {
    const { gate } = server();
    const cache = memoryApqCache(MiB);
    await gate.apq(cache).set(`apq:${hash}`, query);
    expect(await cache.get(`apq:${hash}`)).toBeUndefined();
  });

  it('of a caller proven by the registering request itself: kept', async () => {
    const { apollo, run } = server();
    await apollo.start();
    const text = '{ prove hello }';
    expect((await run(text, false, sha256(text))).data).toEqual({ prove: true, hello: 'hi' });
    expect((await run(undefined, false, sha256(text))).data).toEqual({ prove: true, hello: 'hi' });
    await apollo.stop();
  });
});
