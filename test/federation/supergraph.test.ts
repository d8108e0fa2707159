// The PharmaOne subgraph composed with the example deliveries subgraph and served by Hive Gateway
// over real HTTP: a query that starts in deliveries reaches PharmaOne orders through `_entities`,
// and the sandbox's call log shows exactly the calls a page of those orders would make.
import type { IncomingHttpHeaders } from 'node:http';
import { buildSchema } from 'graphql';
import type { GraphQLObjectType } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeExample, composeSupergraph, pharmaoneSubgraphSdl } from '../../examples/federation/compose.ts';
import { startDeliveriesSubgraph } from '../../examples/federation/deliveries/subgraph.ts';
import type { DeliveryRecord, RunningSubgraph } from '../../examples/federation/deliveries/subgraph.ts';
import { startHiveGateway } from '../../examples/federation/hive-gateway.ts';
import type { RunningRouter } from '../../examples/federation/hive-gateway.ts';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';

const URLS = { pharmaone: 'http://127.0.0.1:1/graphql', deliveries: 'http://127.0.0.1:2/' };

describe('composition', () => {
  it('composes the committed subgraph SDL with the deliveries subgraph without errors', () => {
    const { supergraphSdl, publicSdl } = composeExample(URLS);

    expect(supergraphSdl).toContain(
      'type Order @join__type(graph: DELIVERIES, key: "orgId id") @join__type(graph: PHARMAONE, key: "orgId id")',
    );
    expect(supergraphSdl).toContain('type Shop @join__type(graph: PHARMAONE, key: "orgId id")');
    expect(supergraphSdl).toContain('type Product @join__type(graph: PHARMAONE, key: "orgId shopId p1Id")');
    expect(supergraphSdl).toContain('type Org @join__type(graph: PHARMAONE, key: "id")');
    expect(supergraphSdl).toContain('type Prescription @join__type(graph: PHARMAONE, key: "orgId id", resolvable: false)');
    // Clients of the router see Order.delivery next to PharmaOne's fields, and no federation plumbing.
    const order = buildSchema(publicSdl).getType('Order') as GraphQLObjectType;
    expect(Object.keys(order.getFields())).toEqual(expect.arrayContaining(['orgId', 'id', 'status', 'items', 'shop', 'delivery']));
    expect(publicSdl).not.toMatch(/_entities|_service|join__|@key/);
  });

  it('fails when another subgraph redefines a PharmaOne field it does not share (the check can fail)', () => {
    const clashing = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
      type Query { parcels: [Order!]! }
      type Order @key(fields: "orgId id") { orgId: ID! id: ID! status: String }`;

    expect(() =>
      composeSupergraph([
        { name: 'pharmaone', url: URLS.pharmaone, sdl: pharmaoneSubgraphSdl },
        { name: 'clashing', url: URLS.deliveries, sdl: clashing },
      ]),
    ).toThrow(/composition failed/i);
  });
});

interface DeliveryRow {
  id: string;
  carrier: string;
  trackingUrl: string | null;
  order: { orgId: string; id: string; status: string; items: unknown[]; shop: { id: string } } | null;
}

interface RouterBody {
  data?: { recentDeliveries?: DeliveryRow[]; org?: { order: unknown } } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

describe('through Hive Gateway', () => {
  let stack: TestStack;
  let deliveries: RunningSubgraph;
  let router: RunningRouter;
  let orderA: string;
  let orderB: string;
  const deliveriesSaw: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    stack = await startStack({ env: { FEDERATION_SUBGRAPH: 'true' } });
    const page = await stack.gql<{ org: OrderIds }>('{ org(id: "org1") { orders(first: 2) { nodes { id } } } }');
    const [first, second] = dataOf(page).org.orders.nodes;
    orderA = must(first, 'an order').id;
    orderB = must(second, 'a second order').id;
    const parcels: DeliveryRecord[] = [
      { id: 'DHL-1', carrier: 'DHL', trackingUrl: 'https://track.example/DHL-1', orgId: 'org1', orderId: orderA },
      { id: 'UPS-2', carrier: 'UPS', trackingUrl: null, orgId: 'org1', orderId: orderB },
      // A second parcel of the same order: still one detail call for it.
      { id: 'DHL-3', carrier: 'DHL', trackingUrl: 'https://track.example/DHL-3', orgId: 'org1', orderId: orderA },
    ];
    deliveries = await startDeliveriesSubgraph({ port: 0, deliveries: parcels, onRequest: (headers) => deliveriesSaw.push(headers) });
    const { supergraphSdl } = composeExample({ pharmaone: stack.gateway.url, deliveries: deliveries.url });
    router = await startHiveGateway({ supergraphSdl, port: 0 });
  });
  afterAll(async () => {
    await router?.close();
    await deliveries?.close();
    await stack?.close();
  });
  // The org1 token stays cached in the PharmaOne subgraph, so the calls below are the query's own.
  beforeEach(() => {
    stack.sandbox.calls.clear();
    deliveriesSaw.length = 0;
  });

  async function routerQuery(query: string, headers: Record<string, string> = { apikey: 'sandbox-org1-key' }) {
    const res = await request(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as RouterBody };
  }

  it('answers a query from deliveries into PharmaOne orders with one detail call per distinct order and one /shops call', async () => {
    const res = await routerQuery(`{
      recentDeliveries(orgId: "org1") {
        id carrier trackingUrl
        order { orgId id status items { name quantity } shop { id name } }
      }
    }`);

    expect(res.body.errors).toBeUndefined();
    const rows = res.body.data?.recentDeliveries ?? [];
    expect(rows.map((row) => [row.id, row.carrier, row.trackingUrl, row.order?.id])).toEqual([
      ['DHL-1', 'DHL', 'https://track.example/DHL-1', orderA],
      ['UPS-2', 'UPS', null, orderB],
      ['DHL-3', 'DHL', 'https://track.example/DHL-3', orderA],
    ]);
    for (const row of rows) {
      expect(row.order).toMatchObject({ orgId: 'org1', status: expect.any(String), shop: { id: expect.stringMatching(/^shop[12]$/) } });
      expect(row.order?.items.length).toBeGreaterThan(0);
    }
    expect(restCalls(stack.sandbox).sort()).toEqual([`GET /orders/${orderA}`, `GET /orders/${orderB}`, 'GET /shops'].sort());
    // The credential goes to the PharmaOne subgraph only.
    expect(deliveriesSaw.length).toBeGreaterThan(0);
    for (const headers of deliveriesSaw) expect(headers.apikey).toBeUndefined();
  });

  it('serves the same order data as the PharmaOne subgraph alone', async () => {
    const viaRouter = await routerQuery(
      `{ recentDeliveries(orgId: "org1", first: 1) { order { id status totalAmount { amount } items { name } } } }`,
    );
    const direct = await stack.gql<{ org: { order: unknown } }>(
      `{ org(id: "org1") { order(id: "${orderA}") { id status totalAmount { amount } items { name } } } }`,
    );

    expect(viaRouter.body.data?.recentDeliveries?.[0]?.order).toEqual(dataOf(direct).org.order);
  });

  it('reaches from a PharmaOne order into its delivery', async () => {
    const res = await routerQuery(`{ org(id: "org1") { order(id: "${orderB}") { id status delivery { id carrier } } } }`);

    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.org?.order).toMatchObject({ id: orderB, delivery: { id: 'UPS-2', carrier: 'UPS' } });
    expect(restCalls(stack.sandbox)).toEqual([`GET /orders/${orderB}`]);
  });

  it("forwards the caller's apikey to PharmaOne only: without one, PharmaOne refuses and is never called", async () => {
    const res = await routerQuery('{ recentDeliveries(orgId: "org1") { id order { status } } }', {});

    expect(res.body.data?.recentDeliveries?.[0]?.order ?? null).toBeNull();
    expect(JSON.stringify(res.body.errors)).toContain('UNAUTHENTICATED');
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});
