// The cost of a field lives on the field (@upstream / @listSize in the SDL), and the fan-out
// estimate reads the values execution will use: variables, else the variable's default, else the
// argument's schema default. An over-budget operation is refused before any call, however its
// page sizes are spelled, and an operation under the budget never makes more calls than estimated.
import { Kind, buildSchema, isObjectType, parse } from 'graphql';
import type { FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolvers } from '../../src/schema/resolvers.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { estimateUpstreamCalls, readFieldCosts } from '../../src/graphql/safety/upstream-call-estimate.ts';
import { referenceOf, ROUTES } from '../../src/upstream/routes.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';
import { listOperations } from '../support/contract.ts';
import { stackFixture } from '../support/gateway.ts';
import { waitFor } from '../feed/feed-clients.ts';

const STRICT = { headers: { accept: 'application/graphql-response+json' } };
const schema = buildGatewaySchema();
const costs = readFieldCosts(schema);

function estimate(query: string, variables: Record<string, unknown> = {}, assumedShopsPerOrg = 5): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  if (!operation) throw new Error('no operation');
  return estimateUpstreamCalls(schema, costs, operation, fragments, variables, { assumedShopsPerOrg });
}

/**
 * The rule: a resolver may reach PharmaOne if it declares the context parameter (the only way to a
 * client, loaders or session: helpers it hands the context to are covered) or names the context's
 * handles on PharmaOne. Such a resolver must declare its calls, unless listed here with a reason.
 */
const CONTEXT_WITHOUT_CALLS = new Set<string>([]);
function mayReachPharmaOne(resolve: { length: number; toString(): string }): boolean {
  return resolve.length >= 3 || /\b(pharmaone|loaders)\b/.test(resolve.toString());
}

describe('declarations on the fields', () => {
  it('every resolver that reaches PharmaOne (through the client or the loaders) declares its calls', () => {
    const undeclared: string[] = [];
    for (const [typeName, fields] of Object.entries(resolvers)) {
      for (const [fieldName, resolve] of Object.entries(fields as Record<string, unknown>)) {
        if (typeof resolve !== 'function') continue;
        const reachesPharmaOne = mayReachPharmaOne(resolve);
        const name = `${typeName}.${fieldName}`;
        if (reachesPharmaOne && !CONTEXT_WITHOUT_CALLS.has(name) && !costs.get(name)?.calls.length) undeclared.push(name);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('the rule above sees the resolvers it must (so it cannot pass vacuously)', () => {
    const reaching = Object.entries(resolvers).flatMap(([typeName, fields]) =>
      Object.entries(fields as Record<string, unknown>)
        .filter(([, resolve]) => typeof resolve === 'function' && mayReachPharmaOne(resolve))
        .map(([fieldName]) => `${typeName}.${fieldName}`),
    );
    expect(reaching).toEqual(
      expect.arrayContaining(['Query.org', 'Org.orders', 'Order.items', 'OrderItem.product', 'Mutation.submitOrderRequest']),
    );
    expect(reaching.length).toBeGreaterThanOrEqual(25);
  });

  it('every declared route is an operation of the OpenAPI contract', () => {
    const contract = new Set(listOperations().map((op) => `${op.method} ${op.path}`));
    const unknown = [...costs.entries()].flatMap(([field, cost]) =>
      cost.calls
        .filter(({ route }) => {
          const [method, path] = route.split(' ');
          return !contract.has(`${method} ${path}`) && !contract.has(`${method} /api/v2/public/orgs/{org}${path}`);
        })
        .map(({ route }) => `${field}: ${route}`),
    );
    expect(unknown).toEqual([]);
    expect(costs.get('Order.items')?.calls).toEqual([{ route: 'GET /orders/{id}', per: 'PARENT' }]);
  });

  /** A schema with one field declaring a call of `route`. */
  const declaring = (route: string) =>
    buildSchema(`
      directive @upstream(route: String!, per: String!) repeatable on FIELD_DEFINITION
      type Query { field: Int @upstream(route: ${JSON.stringify(route)}, per: "PARENT") }
    `);

  it.each([
    'GET /order/{id}',
    'GET /orders/{orderId}',
    'get /orders',
    'GET  /orders',
    'GET /orders ',
    'POST /orders',
    'GET /api/v2/public/orgs/{org}/orders',
    'POST {shop}/api/v1/external-order',
    'POST /api/v1/order-requests',
    '',
  ])('refuses a declaration naming no route of the route table: %j', (route) => {
    expect(() => readFieldCosts(declaring(route))).toThrow(/Query\.field names no route of the upstream route table/);
  });

  it('accepts each route of the route table by its reference, and only by it', () => {
    for (const key of Object.keys(ROUTES) as RouteKey[]) {
      expect(readFieldCosts(declaring(referenceOf(key))).get('Query.field')?.calls).toEqual([{ route: referenceOf(key), per: 'PARENT' }]);
    }
  });

  it('every slicing argument names an argument with a schema default, the one source of page sizes', () => {
    for (const [field, cost] of costs) {
      const slicing = cost.listSize?.slicingArgument;
      if (!slicing) continue;
      const [typeName = '', fieldName = ''] = field.split('.');
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(`${field}: not an object type`);
      const argument = type.getFields()[fieldName]?.args.find((arg) => arg.name === slicing);
      expect([field, typeof argument?.defaultValue]).toEqual([field, 'number']);
    }
  });

  it('keeps the declarations out of the served schema (they describe PharmaOne, not the graph)', () => {
    expect(schema.getDirective('upstream')).toBeUndefined();
    expect(schema.getDirective('listSize')).toBeUndefined();
    expect(schema.getType('UpstreamCallScope')).toBeUndefined();
  });
});

describe('the estimate reads the values execution will use', () => {
  const nested = (first: string) => `{ org(id: "org1") { shops { orders${first} { nodes { items { name } } } } } }`;
  const expected = (page: number) => 5 * (1 + page) + 1 + 1; // per shop: list + details; GET /shops; token exchange

  it.each([
    ['a literal', nested('(first: 100)'), {}, 100],
    ['a variable', 'query($n: Int) { org(id: "org1") { shops { orders(first: $n) { nodes { items { name } } } } } }', { n: 100 }, 100],
    [
      'a variable default, no variables',
      'query($n: Int = 100) { org(id: "org1") { shops { orders(first: $n) { nodes { items { name } } } } } }',
      {},
      100,
    ],
    [
      'a non-null variable default',
      'query($n: Int! = 100) { org(id: "org1") { shops { orders(first: $n) { nodes { items { name } } } } } }',
      {},
      100,
    ],
    [
      'a variable default inside a fragment',
      'query($n: Int = 90) { org(id: "org1") { shops { ...S } } } fragment S on Shop { orders(first: $n) { nodes { items { name } } } }',
      {},
      90,
    ],
    ['the schema default (argument omitted)', nested(''), {}, 20],
    ['the schema default (explicit null)', nested('(first: null)'), {}, 20],
    [
      'a variable without default, not sent',
      'query($n: Int) { org(id: "org1") { shops { orders(first: $n) { nodes { items { name } } } } } }',
      {},
      20,
    ],
    [
      'a variable sent as null over its default',
      'query($n: Int = 100) { org(id: "org1") { shops { orders(first: $n) { nodes { items { name } } } } } }',
      { n: null },
      20,
    ],
  ])('%s', (_, query, variables, page) => {
    expect(estimate(query, variables)).toBe(expected(page));
  });

  it('reads report limits and per-shop lookups from the declarations', () => {
    // 1 report call; product: GET /shops + one catalog per shop, shared by every row; 1 token exchange.
    expect(estimate('query($l: Int = 50) { org(id: "org1") { reports { productPerformance(limit: $l) { product { id } } } } }')).toBe(
      1 + 1 + 5 + 1,
    );
    // Detail fields of one order pay one GET /orders/{id}; an order fetched by id pays nothing more for them.
    expect(estimate('{ org(id: "org1") { orders(first: 3) { nodes { items { name } customerEmail shippingAddress { city } } } } }')).toBe(
      1 + 3 + 1,
    );
    expect(estimate('{ org(id: "org1") { order(id: "ORD_1") { items { name } customerEmail } } }')).toBe(1 + 1);
    // Aliased lists with arguments are separate calls.
    expect(estimate('{ org(id: "org1") { a: orders(first: 1) { totalCount } b: orders(first: 2) { totalCount } } }')).toBe(2 + 1);
  });
});

describe('through the gateway', () => {
  const stack = stackFixture({ env: { UPSTREAM_CALL_BUDGET: '100' } });
  beforeEach(() => stack.sandbox.calls.clear());

  it.each([
    ['a variable default', 'query($n: Int = 100) { org(id: "org1") { orders(first: $n) { nodes { items { name } } } } }', {}],
    [
      'a variable default in a fragment',
      'query($n: Int = 100) { org(id: "org1") { ...O } } fragment O on Org { orders(first: $n) { nodes { customerEmail } } }',
      {},
    ],
    ['the schema default across shops', '{ org(id: "org1") { shops { orders { nodes { items { name } } } } } }', {}],
  ])('refuses an over-budget operation spelled with %s before any call', async (_, query, variables) => {
    const res = await stack.gql(query, variables, STRICT);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', upstreamCallBudget: 100 });
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it.each([
    '{ org(id: "org1") { shops { name orders(first: 3) { nodes { items { name product { name } } shop { name } } } } } }',
    'query($n: Int = 4) { org(id: "org1") { orders(first: $n) { nodes { customerEmail items { name } } } prescriptions(first: 3) { nodes { order { id items { name } } shop { id } } } } }',
    '{ org(id: "org1") { inventory(first: 5) { nodes { product { stock { quantity } } shop { id } } } reports { dashboard { shopPerformance { shop { id } } } productPerformance(limit: 5) { product { id } } } } }',
    '{ org(id: "org1") { shop(id: "shop1") { products(first: 5) { nodes { stock { quantity } } } inventory { totalCount } } } }',
  ])('makes no more calls than estimated: %s', async (query) => {
    stack.sandbox.calls.clear();
    const res = await stack.gql(query);
    expect(res.body.errors).toBeUndefined();
    const made = stack.sandbox.calls.list().length;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(estimate(query, {}, 5));
  });

  it('an unknown shop: the orders page read Org.shop started beside the shop read is within the estimate', async () => {
    // Org.shop starts Shop.orders' read before it knows the shop exists (src/graphql/resolvers/child-reads.ts):
    // for an unknown shop that read is one call more than the answer needs, which the estimate already counts.
    const query = '{ org(id: "org1") { shop(id: "nope") { name orders(first: 2) { nodes { items { name } } } } } }';
    await stack.gql('{ org(id: "org1") { id } }');
    stack.sandbox.calls.clear();
    const res = await stack.gql(query);
    expect(res.body.data).toEqual({ org: { shop: null } });
    await waitFor(() => stack.sandbox.calls.list().some((call) => call.query.shop_id === 'nope'), 'the abandoned page read');
    const made = stack.sandbox.calls.list().length;
    expect(made).toBe(2);
    expect(made).toBeLessThanOrEqual(estimate(query, {}, 5));
  });
});
