// Redis stopped under a running replica (a real gateway process, a real redis-server): reads go
// on without errors (caches bypassed), /readyz stays 200 and says Redis is unreachable (and the
// metric does), keyed writes refuse with a retryable error and 0 upstream writes, unkeyed writes
// go through, and when Redis is back the same process heals by itself.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { dataOf } from '../support/gateway.ts';
import type { GraphqlBody, GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let sandbox: Sandbox;
let gateway: Service;

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0 });
  gateway = await startGatewayProcess(sandbox.url, {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    GRAPHIQL_ENABLED: 'false',
    RESPONSE_CACHE_MB: '16',
    REDIS_COMMAND_TIMEOUT_MS: '200',
  });
}, 60_000);
afterAll(async () => {
  await gateway?.kill();
  await sandbox?.close();
  await redis?.stop();
});

/** One GraphQL POST to the replica; `TData` is the shape the query selects. */
async function gql<TData = unknown>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<TData>> {
  const res = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(await res.body.text()) as GraphqlBody<TData> };
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await request(gateway.url.replace(/\/graphql$/, path));
  return { status: res.statusCode, text: await res.body.text() };
}

async function redisReachable(expected: boolean): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const readyz = JSON.parse((await get('/readyz')).text);
    if (readyz.stores.redis.every((connection: { reachable: boolean }) => connection.reachable === expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Redis never became ${expected ? 'reachable' : 'unreachable'} for the gateway`);
}

const READS = [
  '{ org(id: "org1") { shops { id name } } }',
  '{ org(id: "org1") { orders(first: 3) { nodes { id status } } } }',
  '{ org(id: "org1") { reports { dashboard { prescriptions { total } } } } }',
];
const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { id } userErrors { code } }
}`;
type SubmitData = { submitOrderRequest: { orderRequest: { id: string } | null; userErrors: Array<{ code: string }> } };
const orderInput = (idempotencyKey?: string) => ({
  orgId: 'org1',
  shopId: 'shop1',
  customer: { name: 'Redis Outage', email: 'outage@example.com' },
  items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
  ...(idempotencyKey && { idempotencyKey }),
});
const orderWrites = () => sandbox.calls.list({ route: 'POST /api/v2/public/orgs/{org}/order-requests' });

describe('Redis stopped under a running replica', () => {
  it('keeps reads working, refuses keyed writes with 0 upstream writes, and recovers without a restart', async () => {
    await redisReachable(true);
    for (const query of READS) expect((await gql(query)).body.errors).toBeUndefined();
    expect(dataOf(await gql<SubmitData>(SUBMIT, { input: orderInput(randomUUID()) })).submitOrderRequest.userErrors).toEqual([]);

    await redis.stop();
    await redisReachable(false);
    sandbox.calls.clear();

    // Reads: every one answered, twice over (cache reads and stores both fail and are bypassed).
    const reads = [];
    for (let round = 0; round < 2; round++) for (const query of READS) reads.push(await gql(query));
    expect(reads.map((res) => [res.status, res.body.errors])).toEqual(Array.from({ length: 2 * READS.length }, () => [200, undefined]));

    const readyz = await get('/readyz');
    expect(readyz.status).toBe(200);
    // Readiness says the store is away and that it was lost once (the outage, not each reconnect attempt).
    expect(JSON.parse(readyz.text).stores).toEqual({ mode: 'redis', redis: [{ store: 'cache', reachable: false, disconnects: 1 }] });
    expect((await get('/metrics')).text).toMatch(/^pharmaone_store_redis_up\{store="cache"\} 0$/m);
    expect((await get('/metrics')).text).toMatch(/^pharmaone_store_redis_disconnects_total\{store="cache"\} 1$/m);

    const key = randomUUID();
    const refused = await gql<SubmitData>(SUBMIT, { input: orderInput(key) });
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('not sent'),
        extensions: { code: 'IDEMPOTENCY_STORE_UNAVAILABLE', retryable: true },
      }),
    ]);
    expect(orderWrites()).toHaveLength(0);
    expect((await get('/metrics')).text).toMatch(/^pharmaone_idempotency_requests_total\{result="unavailable"\} 1$/m);

    // Writes without a key do not depend on the idempotency store.
    const unkeyed = await gql<SubmitData>(SUBMIT, { input: orderInput() });
    expect(dataOf(unkeyed).submitOrderRequest.userErrors).toEqual([]);
    expect(orderWrites()).toHaveLength(1);

    await redis.start();
    await redisReachable(true);
    const healed = await gql<SubmitData>(SUBMIT, { input: orderInput(key) });
    const replayed = await gql<SubmitData>(SUBMIT, { input: orderInput(key) });
    expect(dataOf(healed).submitOrderRequest.userErrors).toEqual([]);
    expect(replayed.body.data).toEqual(healed.body.data);
    expect(orderWrites()).toHaveLength(2);
    expect((await get('/metrics')).text).toMatch(/^pharmaone_store_redis_up\{store="cache"\} 1$/m);
  }, 60_000);
});
