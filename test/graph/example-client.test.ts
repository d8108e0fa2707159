// The examples/ client: the analysts' example operations are valid against the printed schema,
// and the client-preset typed documents run against a gateway + sandbox with typed results.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildClientSchema, buildSchema, getIntrospectionQuery, parse, printSchema, validate } from 'graphql';
import type { IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createGatewayClient, GatewayRequestError } from '../../examples/client/client.ts';
import type { GatewayClient } from '../../examples/client/client.ts';
import {
  DashboardStatsDocument,
  MonthlyTrendsDocument,
  NestedOrdersDocument,
  ProductPerformanceDocument,
  ShopPerformanceDocument,
} from '../../examples/client/generated/graphql.ts';
import type { DashboardStatsQuery, OrderStatus } from '../../examples/client/generated/graphql.ts';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

const root = resolve(import.meta.dirname, '../..');
const operationsDir = resolve(root, 'examples/operations');

describe('examples/operations', () => {
  const printedSchema = buildSchema(readFileSync(resolve(root, 'schema.graphql'), 'utf8'));
  const files = readdirSync(operationsDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort();

  it('holds the five analyst examples, the live OrderBoard and its ChangeOrderStatus, each file one operation named after it', () => {
    expect(files).toEqual([
      'ChangeOrderStatus.graphql',
      'DashboardStats.graphql',
      'MonthlyTrends.graphql',
      'NestedOrders.graphql',
      'OrderBoard.graphql',
      'ProductPerformance.graphql',
      'ShopPerformance.graphql',
    ]);
    for (const file of files) {
      const definitions = parse(readFileSync(resolve(operationsDir, file), 'utf8')).definitions;
      expect(definitions.map((definition) => ('name' in definition ? definition.name?.value : undefined))).toEqual([
        file.replace('.graphql', ''),
      ]);
    }
  });

  it('validates every example against the printed schema.graphql', () => {
    for (const file of files) {
      const errors = validate(printedSchema, parse(readFileSync(resolve(operationsDir, file), 'utf8')));
      expect(errors.map((error) => `${file}: ${error.message}`)).toEqual([]);
    }
  });
});

describe('the typed example client against a gateway + sandbox', () => {
  let stack: TestStack;
  let client: GatewayClient;

  beforeAll(async () => {
    stack = await startStack();
    client = createGatewayClient({ url: stack.gateway.url, apikey: ORG1_KEY });
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.sandbox.calls.clear();
  });

  it('reads the same graph from schema.graphql as introspection of the running gateway returns', async () => {
    const introspection = await stack.gql<IntrospectionQuery>(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    const served = printSchema(buildClientSchema(dataOf(introspection)));
    const printed = readFileSync(resolve(root, 'schema.graphql'), 'utf8').replace(/^#.*\n\n/, '');
    expect(printed).toBe(`${served}\n`);
  });

  it('runs DashboardStats with one dashboard call and a typed result', async () => {
    const { data, errors } = await client.execute(DashboardStatsDocument);
    expectTypeOf(data).toEqualTypeOf<DashboardStatsQuery>();
    expect(errors).toEqual([]);
    expect(data.org?.reports.dashboard?.prescriptions).toEqual({ total: 961, pending: 174, approved: 770, completed: 730, declined: 17 });
    expect(data.org?.reports.dashboard?.shopPerformance.map((shop) => shop.shopId)).toEqual(['shop1', 'shop2']);
    expect(restCalls(stack.sandbox)).toEqual(['POST /auth/token', 'GET /reports/dashboard']);
  });

  it('runs MonthlyTrends: months as YYYY-MM with exact Decimal revenue strings', async () => {
    const { data } = await client.execute(MonthlyTrendsDocument, { orgId: 'org1' });
    const trends = data.org?.reports.dashboard?.monthlyTrends ?? [];
    expect(trends.length).toBeGreaterThan(0);
    for (const trend of trends) {
      expect(trend.month).toMatch(/^\d{4}-\d{2}$/);
      expect(trend.revenue).toMatch(/^\d+\.\d{2}$/);
    }
  });

  it('runs ProductPerformance with a limit and links products to the catalog', async () => {
    const { data, errors } = await client.execute(ProductPerformanceDocument, { limit: 3 });
    expect(errors).toEqual([]);
    const products = data.org?.reports.productPerformance ?? [];
    expect(products).toHaveLength(3);
    expect(products.every((product) => product.unitsSold > 0 && /^\d+\.\d{2}$/.test(product.revenue ?? ''))).toBe(true);
  });

  it('runs ShopPerformance with each shop resolved from one /shops call', async () => {
    const { data } = await client.execute(ShopPerformanceDocument);
    expect(data.org?.reports.dashboard?.shopPerformance.map((row) => [row.name, row.shop?.id])).toEqual([
      ['Demo Shop DEV', 'shop1'],
      ['Stadt-Apotheke Demo', 'shop2'],
    ]);
    expect(restCalls(stack.sandbox).sort()).toEqual(['GET /reports/dashboard', 'GET /shops']);
  });

  it('runs NestedOrders: a page of orders with lines and addresses in one round trip, paginated by cursor', async () => {
    const first = await client.execute(NestedOrdersDocument, { shopId: 'shop1', first: 2 });
    const orders = first.data.org?.shop?.orders;
    expect(orders?.nodes).toHaveLength(2);
    expectTypeOf(must(orders?.nodes[0], 'an order').status).toEqualTypeOf<OrderStatus>();
    expect(orders?.nodes.every((order) => (order.items ?? []).length > 0)).toBe(true);
    expect(orders?.pageInfo.hasNextPage).toBe(true);

    const next = await client.execute(NestedOrdersDocument, { shopId: 'shop1', first: 2, after: orders?.pageInfo.endCursor });
    const ids = (page: typeof orders) => page?.nodes.map((order) => order.id) ?? [];
    expect(ids(next.data.org?.shop?.orders)).toHaveLength(2);
    expect(ids(next.data.org?.shop?.orders)).not.toContain(ids(orders)[0]);
  });

  it('hands back partial data with the errors: a key without reports:read gets a null dashboard and FORBIDDEN', async () => {
    const readonly = createGatewayClient({ url: stack.gateway.url, apikey: ORG1_READONLY_KEY });
    const { data, errors } = await readonly.execute(DashboardStatsDocument);
    expect(data.org?.reports.dashboard).toBeNull();
    expect(errors.map((error) => [error.path, error.extensions?.code])).toEqual([[['org', 'reports', 'dashboard'], 'FORBIDDEN']]);
  });

  it('throws GatewayRequestError when the gateway answers without data', async () => {
    const wrongUrl = createGatewayClient({ url: `${new URL(stack.gateway.url).origin}/nowhere`, apikey: ORG1_KEY });
    await expect(wrongUrl.execute(DashboardStatsDocument)).rejects.toBeInstanceOf(GatewayRequestError);
  });
});
