// Persisted queries end to end: Apollo's APQ round trip over POST and GET, the safelist manifest
// (operations by id alone), and enforcement, whose refusals reach no upstream (empty call log).
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG1_KEY, restCalls, startStack, stackFixture } from '../support/gateway.ts';
import type { GraphqlBody, TestStack } from '../support/gateway.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const SHOPS = 'query Shops { org(id: "org1") { shops { id name } } }';
const DASHBOARD = 'query Dashboard($org: ID!) { org(id: $org) { reports { dashboard { prescriptions { total } } } } }';
const UNLISTED = '{ org(id: "org1") { shops { id } } }';
const UNLISTED_MUTATION =
  'mutation { updateOrderStatus(input: { orgId: "org1", orderId: "ORD_20260614_8v039dhnrv", status: CANCELLED }) { userErrors { code } } }';
const SHOPS_DATA = {
  org: {
    shops: [
      { id: 'shop1', name: 'Demo Shop DEV' },
      { id: 'shop2', name: expect.any(String) },
    ],
  },
};

const manifestPath = join(mkdtempSync(join(tmpdir(), 'pharmaone-pq-')), 'manifest.json');
writeFileSync(
  manifestPath,
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [
      { id: sha256(SHOPS), body: SHOPS, name: 'Shops', type: 'query' },
      { id: sha256(DASHBOARD), body: DASHBOARD, name: 'Dashboard', type: 'query' },
    ],
  }),
);

const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

async function post(stack: TestStack, body: Record<string, unknown>) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as GraphqlBody };
}

async function get(stack: TestStack, params: Record<string, unknown>) {
  const search = new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, JSON.stringify(value)]));
  const res = await fetch(`${stack.gateway.url}?${search}`, { headers: { apikey: ORG1_KEY } });
  return { status: res.status, body: (await res.json()) as GraphqlBody };
}

describe('automatic persisted queries, with a safelist that is not enforced', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { PERSISTED_QUERIES_SAFELIST: manifestPath } });
    // A cached JWT keeps token exchanges out of the call logs below.
    await stack.gql('{ org(id: "org1") { id } }');
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.sandbox.reset();
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers query + hash, then runs the hash alone over POST and GET', async () => {
    const notFound = await post(stack, { extensions: persisted(UNLISTED) });
    expect(notFound.body.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(restCalls(stack.sandbox)).toEqual([]);

    const registered = await post(stack, { query: UNLISTED, extensions: persisted(UNLISTED) });
    const byHash = await post(stack, { extensions: persisted(UNLISTED) });
    const byGet = await get(stack, { extensions: persisted(UNLISTED) });
    const data = { org: { shops: [{ id: 'shop1' }, { id: 'shop2' }] } };
    expect([registered.body, byHash.body, byGet.body]).toEqual([{ data }, { data }, { data }]);
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops', 'GET /shops', 'GET /shops']);
  });

  it('refuses to register a query under a hash that is not its own', async () => {
    const res = await post(stack, { query: UNLISTED, extensions: persisted(SHOPS) });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toBe('provided sha does not match query');
    expect(restCalls(stack.sandbox)).toEqual([]);
  });

  it('runs a safelisted operation sent by id alone, without registering it first', async () => {
    const res = await post(stack, { extensions: persisted(DASHBOARD), variables: { org: 'org1' } });
    expect(res.body).toEqual({ data: { org: { reports: { dashboard: { prescriptions: { total: 961 } } } } } });
    expect(restCalls(stack.sandbox)).toEqual(['GET /reports/dashboard']);
  });
});

describe('an enforced safelist (PERSISTED_QUERIES_ENFORCE=true)', () => {
  const stack = stackFixture({ env: { PERSISTED_QUERIES_SAFELIST: manifestPath, PERSISTED_QUERIES_ENFORCE: 'true' } });
  beforeEach(() => {
    stack.sandbox.reset();
  });

  it('runs a safelisted operation sent by id alone (POST or GET) or as its full text', async () => {
    const byId = await post(stack, { extensions: persisted(SHOPS) });
    const byGet = await get(stack, { extensions: persisted(SHOPS) });
    const byText = await post(stack, { query: SHOPS });
    expect([byId.body, byGet.body, byText.body]).toEqual([{ data: SHOPS_DATA }, { data: SHOPS_DATA }, { data: SHOPS_DATA }]);
  });

  it('refuses every other operation with PERSISTED_QUERY_NOT_IN_LIST before any upstream call', async () => {
    const refused = [
      await post(stack, { query: UNLISTED }),
      await post(stack, { query: UNLISTED_MUTATION }),
      // APQ cannot smuggle an operation in: registration is refused too…
      await post(stack, { query: UNLISTED, extensions: persisted(UNLISTED) }),
    ];
    expect(refused.map((res) => [res.status, res.body.errors?.[0]?.extensions?.code, res.body.data])).toEqual([
      [200, 'PERSISTED_QUERY_NOT_IN_LIST', undefined],
      [200, 'PERSISTED_QUERY_NOT_IN_LIST', undefined],
      [200, 'PERSISTED_QUERY_NOT_IN_LIST', undefined],
    ]);
    // …so its hash stays unknown.
    const byHash = await post(stack, { extensions: persisted(UNLISTED) });
    expect(byHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(restCalls(stack.sandbox)).toEqual([]);
  });
});
