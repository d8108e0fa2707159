// Two real gateway processes sharing one real redis-server, against one sandbox (in this process,
// so its call log and state are read directly): idempotency, APQ and response-cache invalidation
// across replicas, and a replica SIGKILLed while its upstream write hangs.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { sha256Hex } from '../../src/graphql/plugins/persisted-queries.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { GraphqlBody, GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { dataOf, restCalls } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const LEASE_MS = 6_000;
const WAIT_MS = 1_500;

let redis: TestRedis;
let sandbox: Sandbox;
let a: Service;
let b: Service;
const started: Service[] = [];

function replicaEnv(): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    GRAPHIQL_ENABLED: 'false',
    RESPONSE_CACHE_MB: '16',
    IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
    IDEMPOTENCY_WAIT_MS: String(WAIT_MS),
  };
}

async function replica(): Promise<Service> {
  const service = await startGatewayProcess(sandbox.url, replicaEnv());
  started.push(service);
  return service;
}

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0 });
  [a, b] = await Promise.all([replica(), replica()]);
  // Each replica exchanges its own token once (token caches stay per replica), outside the call logs below.
  await Promise.all([gql(a, '{ org(id: "org1") { id } }'), gql(b, '{ org(id: "org1") { id } }')]);
}, 60_000);
afterAll(async () => {
  await Promise.all(started.map((service) => service.kill()));
  await sandbox?.close();
  await redis?.stop();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.calls.clear();
});

/**
 * One GraphQL POST to `service`; `TData` is the shape the query selects. `query` is undefined for an
 * APQ hash-only request.
 */
async function gql<TData = unknown>(
  service: Service,
  query: string | undefined,
  variables?: Record<string, unknown>,
  extensions?: Record<string, unknown>,
): Promise<GraphqlResponse<TData>> {
  const res = await request(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
    body: JSON.stringify({ query, variables, extensions }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(await res.body.text()) as GraphqlBody<TData> };
}

const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { id orderId } userErrors { code } }
}`;
type SubmitPayload = { orderRequest: { id: string; orderId: string | null } | null; userErrors: Array<{ code: string }> };
type SubmitData = { submitOrderRequest: SubmitPayload };
const ORDER_ROUTE = 'POST /api/v2/public/orgs/{org}/order-requests';
const orderInput = (idempotencyKey: string, customerName = `Fleet ${idempotencyKey}`, extra: Record<string, unknown> = {}) => ({
  orgId: 'org1',
  shopId: 'shop1',
  customer: { name: customerName, email: 'fleet@example.com' },
  items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
  idempotencyKey,
  ...extra,
});
const orderWrites = () => sandbox.calls.list({ route: ORDER_ROUTE });

/** The sandbox's orders for this customer name (its state decides, not the gateway's answers). */
async function ordersNamed(name: string): Promise<string[]> {
  const res = await gql<{ org: { orders: { nodes: Array<{ id: string; customerName: string | null }> } } }>(
    b,
    '{ org(id: "org1") { orders(first: 50) { nodes { id customerName } } } }',
  );
  return dataOf(res)
    .org.orders.nodes.filter((order) => order.customerName === name)
    .map((order) => order.id);
}

describe('idempotency across replicas', () => {
  it('the same key sent to both replicas at once: exactly one upstream write, both callers get the same outcome', async () => {
    sandbox.faults.set([{ route: ORDER_ROUTE, latencyMs: 200 }]);
    const input = orderInput(randomUUID());

    const [onA, onB] = await Promise.all([gql<SubmitData>(a, SUBMIT, { input }), gql<SubmitData>(b, SUBMIT, { input })]);

    expect(dataOf(onA).submitOrderRequest.userErrors).toEqual([]);
    expect(dataOf(onB).submitOrderRequest).toEqual(dataOf(onA).submitOrderRequest);
    expect(orderWrites()).toHaveLength(1);
  });

  it('a key registered on A is replayed on B without a write; a different body on B is IDEMPOTENCY_KEY_REUSED', async () => {
    const key = randomUUID();
    const first = await gql<SubmitData>(a, SUBMIT, { input: orderInput(key) });
    const replayed = await gql<SubmitData>(b, SUBMIT, { input: orderInput(key) });
    const reused = await gql<SubmitData>(b, SUBMIT, { input: orderInput(key, undefined, { shippingOption: 'DHL' }) });

    expect(must(dataOf(first).submitOrderRequest.orderRequest, 'the order request written through A').id).toMatch(/^REQ_/);
    expect(dataOf(replayed).submitOrderRequest).toEqual(dataOf(first).submitOrderRequest);
    expect(dataOf(reused).submitOrderRequest).toEqual({ orderRequest: null, userErrors: [{ code: 'IDEMPOTENCY_KEY_REUSED' }] });
    expect(orderWrites()).toHaveLength(1);
  });

  it('A is SIGKILLed while its write hangs: B answers retryably while the lease holds, and afterwards exactly one order exists', async () => {
    const doomed = await replica();
    await gql(doomed, '{ org(id: "org1") { id } }');
    sandbox.calls.clear();
    // The write lands, its answer never comes back.
    sandbox.faults.set([{ route: ORDER_ROUTE, hangRate: 1, when: 'after', times: 1 }]);
    const key = randomUUID();
    const input = orderInput(key);

    const lost = gql(doomed, SUBMIT, { input }).catch((error: unknown) => error);
    for (let tries = 0; tries < 100 && orderWrites().length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(orderWrites()).toHaveLength(1);
    await doomed.kill();
    await lost;

    const duringLease = await gql<SubmitData>(b, SUBMIT, { input });
    expect(duringLease.body.data).toBeNull();
    expect(duringLease.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'IDEMPOTENCY_KEY_IN_USE', retryable: true } })]);

    let settled: SubmitPayload | undefined;
    const deadline = Date.now() + LEASE_MS * 2 + WAIT_MS * 2;
    while (Date.now() < deadline) {
      const res = await gql<SubmitData>(b, SUBMIT, { input });
      if (res.body.data?.submitOrderRequest?.orderRequest) {
        settled = res.body.data.submitOrderRequest;
        break;
      }
      expect(res.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const outcome = must(settled, `an order request for key ${key} within ${LEASE_MS * 2 + WAIT_MS * 2} ms`);
    expect(outcome.userErrors).toEqual([]);
    expect(await ordersNamed(`Fleet ${key}`)).toEqual([must(outcome.orderRequest, 'the settled order request').orderId]);
    // B re-sent the write under the same derived Idempotency-Key, so PharmaOne answered the first write's reply.
    const keys = orderWrites().map((call) => call.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  }, 60_000);
});

describe('APQ across replicas', () => {
  it('serves on B a hash registered on A, without PERSISTED_QUERY_NOT_FOUND', async () => {
    const query = `{ org(id: "org1") { id shops { id } } } # ${randomUUID()}`;
    const persistedQuery = { version: 1, sha256Hash: sha256Hex(query) };

    const unknown = await gql(b, undefined, undefined, { persistedQuery });
    const registered = await gql(a, query, undefined, { persistedQuery });
    const hashOnly = await gql(b, undefined, undefined, { persistedQuery });

    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(registered.body.errors).toBeUndefined();
    expect(hashOnly.body).toEqual(registered.body);
  });
});

describe('response cache across replicas', () => {
  it('a mutation through A by the same credential makes B read upstream again', async () => {
    const query = `query Shops${randomUUID().slice(0, 8)} { org(id: "org1") { shops { id name } } }`;
    await gql(b, query);
    await gql(b, query);
    expect(restCalls(sandbox)).toEqual(['GET /shops']);

    await gql(a, SUBMIT, { input: orderInput(randomUUID()) });
    sandbox.calls.clear();
    const after = await gql<{ org: { shops: Array<{ id: string; name: string }> } }>(b, query);

    expect(dataOf(after).org.shops).toHaveLength(2);
    expect(restCalls(sandbox)).toEqual(['GET /shops']);
  });
});
