// BFF mode behind Hive Gateway: the router forwards the signed-in user's `Authorization` to the
// PharmaOne subgraph, which resolves the deliveries' order references with the operator's key of
// each granted org, and refuses an ungranted org without calling PharmaOne for it.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { composeExample } from '../../examples/federation/compose.ts';
import { startDeliveriesSubgraph } from '../../examples/federation/deliveries/subgraph.ts';
import type { RunningSubgraph } from '../../examples/federation/deliveries/subgraph.ts';
import { startHiveGateway } from '../../examples/federation/hive-gateway.ts';
import type { RunningRouter } from '../../examples/federation/hive-gateway.ts';
import { asSignedIn, bffSubgraphFixture } from '../support/bff.ts';
import { dataOf, restCalls } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { OrderIds } from '../support/gateway.ts';

const subgraph = bffSubgraphFixture();
const stack = subgraph.stack;
let deliveries: RunningSubgraph;
let router: RunningRouter;
let orderId: string;

beforeAll(async () => {
  const page = await stack.gql<{ org: OrderIds }>(
    '{ org(id: "org1") { orders(first: 1) { nodes { id } } } }',
    undefined,
    asSignedIn(await signIn(['org1'])),
  );
  orderId = must(dataOf(page).org.orders.nodes[0], 'an org1 order').id;
  deliveries = await startDeliveriesSubgraph({
    port: 0,
    deliveries: [{ id: 'DHL-1', carrier: 'DHL', trackingUrl: null, orgId: 'org1', orderId }],
  });
  router = await startHiveGateway({
    supergraphSdl: composeExample({ pharmaone: stack.gateway.url, deliveries: deliveries.url }).supergraphSdl,
    port: 0,
  });
});
afterAll(async () => {
  await router?.close();
  await deliveries?.close();
});
beforeEach(() => stack.sandbox.calls.clear());

const signIn = (orgs: string[]) => subgraph.idp.signIn({ orgs, subject: 'user-9' });

async function asUser(orgs: string[]) {
  const res = await request(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${await signIn(orgs)}` },
    body: JSON.stringify({ query: '{ recentDeliveries(orgId: "org1") { id order { id status } } }' }),
  });
  return (await res.body.json()) as {
    data?: { recentDeliveries: Array<{ id: string; order: { id: string; status: string } | null }> } | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

it("resolves the order with the operator's key when the sign-in token grants its org", async () => {
  const body = await asUser(['org1']);

  expect(body.errors).toBeUndefined();
  expect(body.data?.recentDeliveries).toEqual([{ id: 'DHL-1', order: { id: orderId, status: expect.any(String) } }]);
  expect(restCalls(stack.sandbox)).toEqual([`GET /orders/${orderId}`]);
  expect(stack.sandbox.calls.list()[0]).toMatchObject({ authKind: 'jwt', tokenOrg: 'org1' });
});

it('refuses the order with FORBIDDEN and no PharmaOne call when the token does not grant its org', async () => {
  const body = await asUser(['org2']);

  expect(body.data?.recentDeliveries?.[0]?.order ?? null).toBeNull();
  expect(body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
  expect(stack.sandbox.calls.list()).toEqual([]);
});
