// The fan-out estimate of `_entities` (pure): representations of each type × that type's
// per-entity cost, the shared lookups once per org, a token exchange per org named; equal to the
// estimate of the same entities fetched through the graph's own fields where the calls are equal.
import { Kind, parse } from 'graphql';
import type { FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { countRepresentations } from '../../src/graphql/safety/entities-estimate.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { estimateUpstreamCalls, readFieldCosts } from '../../src/graphql/safety/upstream-call-estimate.ts';

const schema = buildGatewaySchema({ federationSubgraph: true });
const costs = readFieldCosts(schema);
const OPTIONS = { assumedShopsPerOrg: 5 };

function estimate(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  if (!operation) throw new Error('no operation');
  return estimateUpstreamCalls(schema, costs, operation, fragments, variables, OPTIONS);
}

const ENTITIES = (selection: string) =>
  `query($r: [_Any!]!) { _entities(representations: $r) { __typename ${selection} } }${selection.includes('...F') ? ' fragment F on Order { items { name } }' : ''}`;
const orders = (n: number, orgId = 'org1') => Array.from({ length: n }, (_, i) => ({ __typename: 'Order', orgId, id: `ORD_${i}` }));
const shops = (n: number, orgId = 'org1') => Array.from({ length: n }, (_, i) => ({ __typename: 'Shop', orgId, id: `shop${i}` }));

describe('_entities in the upstream-call estimate', () => {
  it.each<[string, string, unknown[], number]>([
    // detail per order + token exchange for the org
    ['20 order references, summary fields', '... on Order { status }', orders(20), 20 + 1],
    ['20 order references, detail fields (the reference is the detail already)', '... on Order { items { name } }', orders(20), 20 + 1],
    ['order references through a named fragment', '...F', orders(7), 7 + 1],
    ['orders with their shop: one /shops per org', '... on Order { shop { name } }', orders(20), 20 + 1 + 1],
    ['orders with products: one catalog read per assumed shop', '... on Order { items { product { name } } }', orders(3), 3 + 1 + 5],
    [
      'orders of two orgs: the shared lookup per org, an exchange per org',
      '... on Order { shop { name } }',
      [...orders(2), ...orders(2, 'org2')],
      4 + 2 + 2,
    ],
    ['shops: one /shops per org however many', '... on Shop { name }', shops(50), 1 + 1],
    ['shops with their order pages', '... on Shop { orders(first: 10) { nodes { customerEmail } } }', shops(2), 1 + 1 + 2 * (1 + 10)],
    [
      'orgs: a token exchange each',
      '... on Org { id }',
      [
        { __typename: 'Org', id: 'a' },
        { __typename: 'Org', id: 'b' },
      ],
      2,
    ],
    ['products: the shop catalogs', '... on Product { name }', [{ __typename: 'Product', orgId: 'org1', shopId: 's', p1Id: 'p' }], 5 + 1],
    [
      'a selection on another type costs nothing for these references',
      '... on Shop { orders { nodes { items { name } } } }',
      orders(4),
      4 + 1,
    ],
    [
      'an unresolvable type (Prescription) costs nothing: refused without a call',
      '... on Prescription { status }',
      [{ __typename: 'Prescription', orgId: 'org1', id: 'RX' }],
      1,
    ],
  ])('%s', (_, selection, representations, expected) => {
    expect(estimate(ENTITIES(selection), { r: representations })).toBe(expected);
  });

  it('grows linearly with the number of order references', () => {
    const per = (n: number) => estimate(ENTITIES('... on Order { items { name } shop { id } }'), { r: orders(n) });
    expect([per(1), per(10), per(100)]).toEqual([3, 12, 102]);
  });

  it('reads inline representations too', () => {
    expect(estimate('{ _entities(representations: [{__typename: "Order", orgId: "org1", id: "A"}]) { ... on Order { status } } }')).toBe(2);
  });

  it('costs the same detail calls as the page of orders it replaces (the page adds its list call)', () => {
    const entities = estimate(ENTITIES('... on Order { id items { name } }'), { r: orders(20) });
    const page = estimate('{ org(id: "org1") { orders(first: 20) { nodes { id items { name } } } } }');
    // 20 details + 1 token exchange, vs 1 list + 20 details + 1 token exchange (declared on Query.org).
    expect([entities, page]).toEqual([21, 22]);
  });
});

describe('countRepresentations', () => {
  it.each<[string, unknown, Record<string, number>, number]>([
    ['not a list', { __typename: 'Order' }, {}, 0],
    ['null', null, {}, 0],
    ['junk entries', [1, 'x', null, [], { id: 'no typename' }, { __typename: 7 }], {}, 0],
    ['mixed types and orgs', [...orders(2), ...shops(1, 'org2'), { __typename: 'Org', id: 'org3' }], { Order: 2, Shop: 1, Org: 1 }, 3],
    ['a non-string org id is not an org', [{ __typename: 'Order', orgId: { $ne: 1 }, id: 'A' }], { Order: 1 }, 0],
  ])('tolerates %s', (_, value, byType, orgs) => {
    const counts = countRepresentations(value);
    expect(Object.fromEntries(counts.byType)).toEqual(byType);
    expect(counts.orgIds.size).toBe(orgs);
  });
});
