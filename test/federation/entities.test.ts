// `_entities` sent straight to the gateway in subgraph mode, as a router would: each reference is
// resolved through the per-request loaders (exact PharmaOne calls asserted), a failed reference is
// null on its own, another org's reference is refused without any token for that org, the
// fan-out budget counts the batch before any call, and the answer carries the entities' cache hints.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG2_KEY, restCalls, startStack, stackFixture } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { TestStack } from '../support/gateway.ts';

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Order { orgId id status totalAmount { amount } items { name quantity } shop { id name } }
    ... on Shop { orgId id name }
    ... on Product { orgId shopId p1Id name }
    ... on Org { id }
    ... on Prescription { patientName }
  }
}`;

const orderRef = (id: string, orgId = 'org1') => ({ __typename: 'Order', orgId, id });

/** One `_entities` entry as the tests read it (null for a refused or missing reference). */
type EntityRow = { __typename: string; orgId: string; id: string; items: unknown[]; shop: unknown; [field: string]: unknown };
interface EntitiesData {
  _entities: EntityRow[];
}

interface OrderRow {
  id: string;
  shopId: string;
  items: Array<{ p1Id: string | null }>;
}

let stack: TestStack;
let org1Orders: OrderRow[];
let org2OrderId: string;
let productP1Id: string;

beforeAll(async () => {
  stack = await startStack({ env: { FEDERATION_SUBGRAPH: 'true' } });
  const page = await stack.gql<{ org: { orders: { nodes: OrderRow[] } } }>(
    '{ org(id: "org1") { orders(first: 3) { nodes { id shopId items { p1Id } } } } }',
  );
  org1Orders = dataOf(page).org.orders.nodes;
  productP1Id = org1Orders.flatMap((order) => order.items.map((item) => item.p1Id)).find((p1Id) => p1Id !== null) ?? '';
  const org2 = await stack.gql<{ org: { orders: { nodes: Array<{ id: string }> } } }>(
    '{ org(id: "org2") { orders(first: 1) { nodes { id } } } }',
    undefined,
    { apikey: ORG2_KEY },
  );
  org2OrderId = must(dataOf(org2).org.orders.nodes[0], 'an org2 order').id;
});
afterAll(() => stack.close());

/** The n-th order of org1's first page (the page has 3). */
function nth(n: number): OrderRow {
  const order = org1Orders[n];
  if (!order) throw new Error(`org1 has no order #${n} on its first page`);
  return order;
}

// The org1 token stays cached in the gateway, so the calls below are the entities' own.
beforeEach(() => stack.sandbox.calls.clear());

describe('_service', () => {
  it('returns the committed schema.subgraph.graphql as the subgraph SDL', async () => {
    const res = await stack.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const committed = await readFile(new URL('../../schema.subgraph.graphql', import.meta.url), 'utf8');

    expect(res.body.errors).toBeUndefined();
    expect(`${dataOf(res)._service.sdl}\n`).toBe(committed.slice(committed.indexOf('\n\n') + 2));
    expect(dataOf(res)._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.9"');
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('_entities', () => {
  it('resolves a batch of order references with one detail call per distinct order and one /shops call', async () => {
    const [a, b] = [nth(0), nth(1)];
    const res = await stack.gql<EntitiesData>(ENTITIES, { representations: [orderRef(a.id), orderRef(b.id), orderRef(a.id)] });

    expect(res.body.errors).toBeUndefined();
    expect(
      dataOf(res)._entities.map((entity: { __typename: string; orgId: string; id: string }) => [
        entity.__typename,
        entity.orgId,
        entity.id,
      ]),
    ).toEqual([
      ['Order', 'org1', a.id],
      ['Order', 'org1', b.id],
      ['Order', 'org1', a.id],
    ]);
    const first = must(dataOf(res)._entities[0], 'the first entity');
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.shop).toMatchObject({ id: nth(0).shopId });
    expect(restCalls(stack.sandbox).sort()).toEqual([`GET /orders/${a.id}`, `GET /orders/${b.id}`, 'GET /shops'].sort());
  });

  it('answers the same order data as org.order', async () => {
    const id = nth(1).id;
    const viaGraph = await stack.gql<{ org: { order: unknown } }>(
      `{ org(id: "org1") { order(id: "${id}") { orgId id status totalAmount { amount } items { name quantity } shop { id name } } } }`,
    );
    const viaEntities = await stack.gql<EntitiesData>(ENTITIES, { representations: [orderRef(id)] });

    const { __typename, ...entity } = must(dataOf(viaEntities)._entities[0], 'the order entity');
    expect(__typename).toBe('Order');
    expect(entity).toEqual(dataOf(viaGraph).org.order);
  });

  it('resolves shop, product and org references, one /shops and one catalog read for all of them', async () => {
    const shopId = nth(0).shopId;
    const res = await stack.gql<EntitiesData>(ENTITIES, {
      representations: [
        { __typename: 'Shop', orgId: 'org1', id: 'shop1' },
        { __typename: 'Shop', orgId: 'org1', id: 'shop2' },
        { __typename: 'Product', orgId: 'org1', shopId, p1Id: productP1Id },
        { __typename: 'Org', id: 'org1' },
      ],
    });

    expect(res.body.errors).toBeUndefined();
    expect(dataOf(res)._entities).toEqual([
      { __typename: 'Shop', orgId: 'org1', id: 'shop1', name: 'Demo Shop DEV' },
      { __typename: 'Shop', orgId: 'org1', id: 'shop2', name: expect.any(String) },
      { __typename: 'Product', orgId: 'org1', shopId, p1Id: productP1Id, name: expect.any(String) },
      { __typename: 'Org', id: 'org1' },
    ]);
    const calls = restCalls(stack.sandbox);
    expect(calls.filter((call) => call === 'GET /shops')).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('GET /products'))).toEqual([`GET /products?limit=100&offset=0&shop_id=${shopId}`]);
  });

  it('answers null with NOT_FOUND for an unknown order, and serves the rest of the batch', async () => {
    const [a, b] = [nth(0), nth(1)];
    const res = await stack.gql<EntitiesData>(ENTITIES, {
      representations: [orderRef(a.id), orderRef('ORD_20260101_doesnotexist'), orderRef(b.id)],
    });

    expect(dataOf(res)._entities[0]).toMatchObject({ id: a.id });
    expect(dataOf(res)._entities[1]).toBeNull();
    expect(dataOf(res)._entities[2]).toMatchObject({ id: b.id });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'NOT_FOUND' } })]);
  });

  it.each([
    ['an order without orgId', { __typename: 'Order', id: 'ORD_1' }],
    ['an order with a numeric id', { __typename: 'Order', orgId: 'org1', id: 42 }],
    ['a shop with an empty orgId', { __typename: 'Shop', orgId: '', id: 'shop1' }],
    ['a product without shopId', { __typename: 'Product', orgId: 'org1', p1Id: 'P1-1' }],
    ['an org with an oversized id', { __typename: 'Org', id: 'x'.repeat(129) }],
    // resolvable: false — never the caller's representation passed off as PharmaOne data
    ['a prescription (no lookup by id)', { __typename: 'Prescription', orgId: 'org1', id: 'RX_1', patient_name: 'Forged' }],
  ])('refuses %s before execution with BAD_USER_INPUT and no PharmaOne call', async (_, representation) => {
    // The whole operation: a router never sends a malformed representation (entities-malformed.test.ts).
    const res = await stack.gql<EntitiesData>(ENTITIES, { representations: [representation] });

    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(res.body.errors?.[0]?.message).toMatch(/^representations\[0\]/);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it("refuses another org's reference without a token for that org, and serves the caller's own", async () => {
    const own = nth(0).id;
    const res = await stack.gql<EntitiesData>(
      ENTITIES,
      { representations: [orderRef(own), orderRef(org2OrderId, 'org2')] },
      { apikey: ORG1_KEY },
    );

    expect(dataOf(res)._entities[0]).toMatchObject({ id: own });
    expect(dataOf(res)._entities[1]).toBeNull();
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'UNAUTHENTICATED' } })]);
    const org2Calls = stack.sandbox.calls.list().filter((call) => call.org === 'org2');
    // The only org2 call is the refused exchange of the caller's own key: no org2 token exists, none is sent.
    expect(org2Calls.map((call) => [call.method, call.route, call.apikeyLabel, call.status])).toEqual([
      ['POST', 'POST /api/v2/public/orgs/{org}/auth/token', 'org1-key', 401],
    ]);
    for (const call of stack.sandbox.calls.list()) if (call.authKind === 'jwt') expect(call.tokenOrg).toBe('org1');
  });
});

describe('cache hints on entities', () => {
  it.each([
    ['shops', [{ __typename: 'Shop', orgId: 'org1', id: 'shop1' }], 'max-age=300, private'],
    [
      'an org and a shop',
      [
        { __typename: 'Org', id: 'org1' },
        { __typename: 'Shop', orgId: 'org1', id: 'shop2' },
      ],
      'max-age=300, private',
    ],
  ])('lets %s be cached as their types say', async (_, representations, cacheControl) => {
    const res = await stack.gql<EntitiesData>(ENTITIES, { representations });

    expect(res.body.errors).toBeUndefined();
    expect(res.headers['cache-control']).toBe(cacheControl);
  });

  it('takes the smallest hint of the batch (a product: 120 s)', async () => {
    const shopId = nth(0).shopId;
    const res = await stack.gql<EntitiesData>(ENTITIES, {
      representations: [
        { __typename: 'Shop', orgId: 'org1', id: shopId },
        { __typename: 'Product', orgId: 'org1', shopId, p1Id: productP1Id },
      ],
    });

    expect(res.body.errors).toBeUndefined();
    expect(res.headers['cache-control']).toBe('max-age=120, private');
  });

  it('never caches orders (live data, no hint)', async () => {
    const res = await stack.gql<EntitiesData>(ENTITIES, { representations: [orderRef(nth(0).id)] });

    expect(res.body.errors).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('the upstream-call budget', () => {
  it('refuses a batch of references whose estimated fan-out exceeds the budget, before any call', async () => {
    const tight = await startStack({ env: { FEDERATION_SUBGRAPH: 'true', UPSTREAM_CALL_BUDGET: '10' } });
    try {
      const representations = Array.from({ length: 10 }, (_, i) => orderRef(`ORD_20260101_${i}`));
      const res = await tight.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }', {
        r: representations,
      });

      expect(res.body.data).toBeUndefined();
      // 10 detail calls + 1 token exchange for the one org named.
      expect(res.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_EXPENSIVE', estimatedUpstreamCalls: 11, upstreamCallBudget: 10 } }),
      ]);
      expect(tight.sandbox.calls.list()).toEqual([]);
    } finally {
      await tight.close();
    }
  });
});

describe('the representation check before the budget', () => {
  it('names a malformed representation of an over-budget batch, rather than its fan-out', async () => {
    const tight = await startStack({ env: { FEDERATION_SUBGRAPH: 'true', UPSTREAM_CALL_BUDGET: '10' } });
    try {
      const representations = [...Array.from({ length: 10 }, (_, i) => orderRef(`ORD_20260101_${i}`)), orderRef('../x')];
      const res = await tight.gql('query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id status } } }', {
        r: representations,
      });

      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toEqual([
        {
          message: expect.stringMatching(/^representations\[10\] \(Order\): id must be a PharmaOne id/),
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
      expect(tight.sandbox.calls.list()).toEqual([]);
    } finally {
      await tight.close();
    }
  });
});

describe('standalone mode (FEDERATION_SUBGRAPH unset)', () => {
  const standalone = stackFixture();

  it.each([
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: []) { __typename } }'],
  ])('has no %s field', async (field, query) => {
    const res = await standalone.gql(query);

    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toContain(`Cannot query field "${field}" on type "Query"`);
    expect(standalone.sandbox.calls.list()).toEqual([]);
  });

  it('shows no federation types or directives in introspection', async () => {
    const res = await standalone.gql<{ __schema: { types: Array<{ name: string }>; directives: Array<{ name: string }> } }>(
      '{ __schema { types { name } directives { name } } }',
    );
    const names = [...dataOf(res).__schema.types, ...dataOf(res).__schema.directives].map((entry: { name: string }) => entry.name);

    expect(names.filter((name) => ['_Service', '_Entity', '_Any', 'link', 'key', 'federation__FieldSet'].includes(name))).toEqual([]);
  });
});
