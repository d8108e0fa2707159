// With NODE_ENV=production (field suggestions off) no error says "Did you mean …?": not validation,
// not variable coercion, not input-object fields, not enum values, as literals or as variables.
import { describe, expect, it } from 'vitest';
import { stackFixture } from '../support/gateway.ts';

const MISSPELLINGS: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  { name: 'field', query: '{ org(id: "org1") { ordrs { totalCount } } }' },
  { name: 'argument', query: '{ org(id: "org1") { orders(frist: 1) { totalCount } } }' },
  { name: 'type in a fragment', query: '{ org(id: "org1") { ...on Orgg { id } } }' },
  { name: 'variable type', query: 'query($s: OrderStatuss) { viewer { mode } }' },
  { name: 'enum literal', query: '{ org(id: "org1") { orders(filter: {status: PENDNG}) { totalCount } } }' },
  {
    name: 'enum in a variable',
    query: 'query($s: OrderStatus) { org(id: "org1") { orders(filter: {status: $s}) { totalCount } } }',
    variables: { s: 'PENDNG' },
  },
  {
    name: 'enum inside an input-object variable',
    query: 'mutation($i: UpdateOrderStatusInput!) { updateOrderStatus(input: $i) { userErrors { code } } }',
    variables: { i: { orgId: 'org1', orderId: 'ORD_1', status: 'CANCELED' } },
  },
  { name: 'input-object field literal', query: '{ org(id: "org1") { orders(filter: {statuss: PENDING}) { totalCount } } }' },
  {
    name: 'input-object field in a variable',
    query: 'query($f: OrderFilter) { org(id: "org1") { orders(filter: $f) { totalCount } } }',
    variables: { f: { statuss: 'PENDING' } },
  },
  {
    name: 'nested input-object field in a variable',
    query: 'mutation($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { userErrors { code } } }',
    variables: {
      i: { orgId: 'org1', shopId: 'shop1', customer: { nam: 'A' }, items: [{ name: 'x', quantity: 1, unitPrice: '1.00' }] },
    },
  },
  {
    name: 'enum value of a default channel',
    query:
      'mutation { submitOrderRequest(input: {orgId: "o", shopId: "s", customer: {name: "A"}, items: [], via: V2JWT}) { userErrors { code } } }',
  },
];

describe.each([
  ['NODE_ENV=production', { NODE_ENV: 'production', PHARMAONE_SANDBOX: 'true' }],
  ['GRAPHQL_FIELD_SUGGESTIONS=false', { GRAPHQL_FIELD_SUGGESTIONS: 'false' }],
])('with %s', (_, env) => {
  const stack = stackFixture({ env });

  it.each(MISSPELLINGS)('a misspelled $name is refused without a suggestion', async ({ query, variables }) => {
    const res = await stack.gql(query, variables);

    expect(res.body.errors?.length).toBeGreaterThan(0);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/did you mean|suggestion/i);
    expect(stack.logText()).not.toMatch(/did you mean|suggestion/i);
  });
});

describe('in development', () => {
  const stack = stackFixture({ env: { GRAPHQL_FIELD_SUGGESTIONS: 'true' } });

  it('still suggests, so the production check above is not vacuous', async () => {
    const suggested = [];
    for (const { query, variables } of MISSPELLINGS) {
      const res = await stack.gql(query, variables);
      if (/Did you mean/.test(JSON.stringify(res.body))) suggested.push(query);
    }
    expect(suggested.length).toBeGreaterThanOrEqual(8);
  });
});
