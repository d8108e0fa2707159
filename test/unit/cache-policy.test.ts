// The per-operation cache policy (src/graphql/plugins/cache-policy.ts) against Apollo's own
// per-field cache-control plugin: on a schema with every kind of hint (type, field, scope,
// inheritMaxAge, interfaces, unions, fragments, introspection), each operation of the table must
// get the same `cache-control` header from both when every selected field resolves.
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse } from 'graphql';
import type { OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachePolicyPlugin, operationCachePolicy } from '../../src/graphql/plugins/cache-policy.ts';

const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    org: Org
    slow: Slow @cacheControl(maxAge: 600)
    plain: String
    hinted: String @cacheControl(maxAge: 30)
    node: Node
    item: Item
    money: Money
  }
  type Org @cacheControl(maxAge: 300, scope: PRIVATE) {
    id: ID!
    name: String
    shops: [Shop!]!
    stats: Stats
    trend: Trend @cacheControl(inheritMaxAge: true)
    owner: Person
    total: Money
  }
  type Shop @cacheControl(maxAge: 120) { id: ID! short: String @cacheControl(maxAge: 10) private: String @cacheControl(scope: PRIVATE) }
  type Stats @cacheControl(inheritMaxAge: true) { total: Int }
  type Trend { month: String }
  type Person { name: String }
  type Slow { value: Int }
  type Money @cacheControl(inheritMaxAge: true) { amount: String }
  interface Node @cacheControl(maxAge: 90) { id: ID! }
  type Product implements Node @cacheControl(maxAge: 45) { id: ID! name: String }
  union Item = Product | Shop
`;

const resolvers = {
  Query: {
    org: () => ({}),
    slow: () => ({}),
    plain: () => 'p',
    hinted: () => 'h',
    node: () => ({ __typename: 'Product', id: 'n' }),
    item: () => ({ __typename: 'Shop', id: 's' }),
    money: () => ({ amount: '1.00' }),
  },
  Org: {
    id: () => 'o',
    name: () => 'n',
    shops: () => [{ id: 's' }],
    stats: () => ({ total: 1 }),
    trend: () => ({ month: 'm' }),
    owner: () => ({ name: 'x' }),
    total: () => ({ amount: '1.00' }),
  },
  Shop: { short: () => 's', private: () => 'p' },
  Slow: { value: () => 1 },
  Node: { __resolveType: (value: { __typename: string }) => value.__typename },
  Item: { __resolveType: (value: { __typename: string }) => value.__typename },
};

const OPERATIONS = [
  '{ plain }',
  '{ hinted }',
  '{ __typename }',
  '{ org { id name } }',
  '{ org { id shops { id } } }',
  '{ org { shops { short } } }',
  '{ org { shops { private } } }',
  '{ org { stats { total } } }',
  '{ org { trend { month } } }',
  '{ org { owner { name } } }',
  '{ org { total { amount } } }',
  '{ money { amount } }',
  '{ slow { value } }',
  '{ slow { value } hinted }',
  '{ slow { value } org { id } }',
  '{ node { id } }',
  '{ node { ... on Product { name } } }',
  '{ item { ... on Shop { id } } }',
  'query Q { org { ...OrgParts } } fragment OrgParts on Org { id shops { ...ShopParts } } fragment ShopParts on Shop { id short }',
  '{ org { id } hinted }',
  '{ __schema { queryType { name } } }',
  '{ __type(name: "Org") { name } }',
  '{ a: org { id } b: slow { value } }',
];

describe('per-operation cache policy', () => {
  const schema = makeExecutableSchema({ typeDefs, resolvers });
  let apollo: ApolloServer;
  let ours: ApolloServer;
  beforeAll(async () => {
    apollo = new ApolloServer({ schema });
    ours = new ApolloServer({ schema, plugins: [ApolloServerPluginCacheControlDisabled(), cachePolicyPlugin()] });
    await Promise.all([apollo.start(), ours.start()]);
  });
  afterAll(() => Promise.all([apollo.stop(), ours.stop()]));

  it.each(OPERATIONS)('%s: the same cache-control header as Apollo’s per-field plugin', async (query) => {
    const [theirs, mine] = await Promise.all([apollo.executeOperation({ query }), ours.executeOperation({ query })]);
    expect(mine.body).toEqual(theirs.body);
    expect(mine.http.headers.get('cache-control')).toBe(theirs.http.headers.get('cache-control'));
  });

  it('covers cacheable and uncacheable outcomes (the table is not all no-store)', async () => {
    const headers = await Promise.all(
      OPERATIONS.map(async (query) => (await ours.executeOperation({ query })).http.headers.get('cache-control')),
    );
    expect(new Set(headers)).toEqual(
      new Set([
        'no-store',
        'max-age=30, public',
        'max-age=300, private',
        'max-age=120, private',
        'max-age=10, private',
        'max-age=600, public',
        'max-age=90, public',
        'max-age=30, private',
      ]),
    );
  });

  it('is stricter, never looser, where Apollo counts only the fields that ran: a null parent still counts its selection', () => {
    const document = parse('{ org { owner { name } } }');
    const operation = document.definitions[0] as OperationDefinitionNode;
    // owner (Person, no hint) → maxAge 0, whether or not owner turned out null at run time.
    expect(operationCachePolicy(schema, document, operation)).toEqual({ maxAge: 0, scope: 'PRIVATE' });
  });

  it('answers an error with no-store, as Apollo does', async () => {
    const response = await ours.executeOperation({ query: '{ nope }' });
    expect(response.http.headers.get('cache-control')).toBe('no-store');
  });
});
