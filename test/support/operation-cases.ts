// A table of operations covering what the graph uses: nested lists, aliases, fragments,
// variables with and without defaults, invalid variables, custom scalars in and out, enums, null
// parents, field errors with partial data, refusals, introspection and mutations answering
// userErrors. Two paths that must answer alike run it side by side: graphql-jit against graphql-js
// (test/graph/jit-executor.test.ts), prepared operations against Apollo's pipeline
// (test/graph/prepared-operations.test.ts).
import { readFileSync } from 'node:fs';
import { ORG1_READONLY_KEY, ORG2_KEY } from './gateway.ts';

const example = (name: string) => readFileSync(new URL(`../../examples/operations/${name}.graphql`, import.meta.url), 'utf8');

const DETAIL = `query Detail($first: Int = 5) { org(id: "org1") { orders(first: $first) { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id shopId status statusRaw paymentStatus paymentStatusRaw customerName customerEmail
  totalAmount { amount cents currency } createdAt updatedAt
  items { name quantity p1Id unitPrice { amount cents currency } lineTotal { amount } product { id name price { amount } } }
  shippingAddress { street city postalCode phone } shop { id name } } } } } }`;

export interface OperationCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  apikey?: string;
  headers?: Record<string, string>;
}

export const OPERATION_CASES: OperationCase[] = [
  { name: 'typename', query: '{ __typename }' },
  { name: 'shops with aliases', query: '{ org(id: "org1") { id a: shops { id name } b: shops { url } } }' },
  { name: 'every order detail field', query: DETAIL },
  { name: 'variable overriding a default', query: DETAIL, variables: { first: 2 } },
  {
    name: 'fragments and inline fragments',
    query:
      'query F { org(id: "org1") { ...O } } fragment O on Org { orders(first: 3) { nodes { ...N ... on Order { status } } } } fragment N on Order { id totalAmount { amount } }',
  },
  {
    name: 'filters with enum and variables',
    query: 'query Q($s: OrderStatus!) { org(id: "org1") { orders(first: 3, filter: { status: $s }) { nodes { id status } } } }',
    variables: { s: 'COMPLETED' },
  },
  {
    name: 'an invalid enum variable',
    query: 'query Q($s: OrderStatus!) { org(id: "org1") { orders(first: 3, filter: { status: $s }) { nodes { id } } } }',
    variables: { s: 'NOPE' },
  },
  { name: 'a missing required variable', query: 'query Q($id: ID!) { org(id: $id) { id } }' },
  {
    name: 'a variable of the wrong type',
    query: 'query Q($n: Int) { org(id: "org1") { orders(first: $n) { nodes { id } } } }',
    variables: { n: 'ten' },
  },
  { name: 'an unknown order (null + NOT_FOUND)', query: '{ org(id: "org1") { order(id: "ORD_20990101_nope") { id } shops { id } } }' },
  { name: 'a missing scope (FORBIDDEN on one field)', query: example('DashboardStats'), apikey: ORG1_READONLY_KEY },
  { name: 'another org (UNAUTHENTICATED)', query: '{ org(id: "org2") { shops { id } } }' },
  { name: 'org2 with its own key', query: '{ org(id: "org2") { shops { id name } orders(first: 2) { nodes { id } } } }', apikey: ORG2_KEY },
  { name: 'a forged cursor', query: '{ org(id: "org1") { orders(first: 2, after: "nope") { nodes { id } } } }' },
  {
    name: 'prescriptions and inventory',
    query: '{ org(id: "org1") { prescriptions(first: 3) { nodes { id status } } inventory(first: 3) { nodes { p1Id quantity } } } }',
  },
  { name: 'DashboardStats example', query: example('DashboardStats') },
  { name: 'NestedOrders example (variables with defaults)', query: example('NestedOrders') },
  { name: 'ProductPerformance example', query: example('ProductPerformance') },
  { name: 'viewer', query: '{ viewer { __typename } }' },
  {
    name: 'a router asking for field traces (graphql-js fallback)',
    query: '{ org(id: "org1") { shops { id } } }',
    headers: { 'apollo-federation-include-trace': 'ftv1' },
  },
  { name: 'introspection (graphql-js fallback)', query: '{ __schema { queryType { name } } __type(name: "Money") { fields { name } } }' },
  {
    name: 'a mutation answering userErrors',
    query:
      'mutation M($input: UpdateOrderStatusInput!) { updateOrderStatus(input: $input) { order { id } userErrors { field message code } } }',
    variables: { input: { orgId: 'org1', orderId: 'ORD_20990101_nope', status: 'PACKED' } },
  },
];
