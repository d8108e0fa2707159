// `_entities` in BFF mode, the way a router forwards a signed-in user's `Authorization`: references
// to a granted org resolve with the operator's key for it; a reference to an org the sign-in token
// does not grant is FORBIDDEN without a single PharmaOne call for that org.
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { asSignedIn, bffSubgraphFixture } from '../support/bff.ts';
import { dataOf, restCalls } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { OrderIds } from '../support/gateway.ts';

const subgraph = bffSubgraphFixture();
const stack = subgraph.stack;
let org1OrderId: string;
let org2OrderId: string;

beforeAll(async () => {
  const both = asSignedIn(await signIn(['org1', 'org2']));
  const page = await stack.gql<{ a: OrderIds; b: OrderIds }>(
    '{ a: org(id: "org1") { orders(first: 1) { nodes { id } } } b: org(id: "org2") { orders(first: 1) { nodes { id } } } }',
    undefined,
    both,
  );
  org1OrderId = must(dataOf(page).a.orders.nodes[0], 'an org1 order').id;
  org2OrderId = must(dataOf(page).b.orders.nodes[0], 'an org2 order').id;
});
beforeEach(() => stack.sandbox.calls.clear());

const signIn = (orgs: string[]) => subgraph.idp.signIn({ orgs, subject: 'user-7' });

it("refuses a reference to an org the sign-in token does not grant with FORBIDDEN and no call for that org, serving the granted org's", async () => {
  const res = await stack.gql<{ _entities: unknown[] }>(
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orgId id status } } }',
    {
      r: [
        { __typename: 'Order', orgId: 'org1', id: org1OrderId },
        { __typename: 'Order', orgId: 'org2', id: org2OrderId },
        { __typename: 'Shop', orgId: 'org2', id: 'shop3' },
      ],
    },
    asSignedIn(await signIn(['org1'])),
  );

  expect(dataOf(res)._entities).toEqual([{ orgId: 'org1', id: org1OrderId, status: expect.any(String) }, null, null]);
  expect(res.body.errors?.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
    [['_entities', 1], 'FORBIDDEN'],
    [['_entities', 2], 'FORBIDDEN'],
  ]);
  expect(stack.sandbox.calls.list().filter((call) => call.org === 'org2')).toEqual([]);
  expect(restCalls(stack.sandbox)).toEqual([`GET /orders/${org1OrderId}`]);
});
