// Issue 20, fleet part: a credential PharmaOne refused on one replica is not exchanged again by
// another. Two real gateway processes share one real redis-server, against one sandbox (in this
// process, so its call log is read directly). Redis holds the refusal under a hash with its time
// to live, never the key. The store itself, against the same redis-server and an unreachable one.
import { hash } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { connectRedis } from '../../src/stores/redis.ts';
import type { RedisConnection } from '../../src/stores/redis.ts';
import { createRedisRefusalStore } from '../../src/stores/token-refusal-store.ts';
import type { GraphqlBody, GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY } from '../support/gateway.ts';
import { freePort, startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';
const TTL_MS = 30_000;
const CANARY = 'canary-fleet-refused-key-9d41b7';

let redis: TestRedis;
let sandbox: Sandbox;
let connection: RedisConnection;
const replicas: Service[] = [];
let a: Service;
let b: Service;

async function waitUntilReady(redisConnection: RedisConnection): Promise<void> {
  for (let tries = 0; tries < 250 && !redisConnection.ready(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!redisConnection.ready()) throw new Error('the test connection never reached redis-server');
}

beforeAll(async () => {
  redis = await startRedis({ policy: 'allkeys-lru' });
  sandbox = await startSandbox({ port: 0 });
  // No response cache: each replica's answers come from its own token lookups, which are what is counted.
  const env = {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    GRAPHIQL_ENABLED: 'false',
    RESPONSE_CACHE_MB: '0',
    TOKEN_NEGATIVE_CACHE_MS: String(TTL_MS),
  };
  [a, b] = await Promise.all([startGatewayProcess(sandbox.url, env), startGatewayProcess(sandbox.url, env)]);
  replicas.push(a, b);
  connection = connectRedis(redis.url, 'test', { commandTimeoutMs: 1_000 });
  await waitUntilReady(connection);
}, 60_000);
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.kill()));
  await connection?.close();
  await sandbox?.close();
  await redis?.stop();
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.calls.clear();
});

async function gql<TData = unknown>(service: Service, query: string, apikey: string): Promise<GraphqlResponse<TData>> {
  const res = await request(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey },
    body: JSON.stringify({ query }),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(await res.body.text()) as GraphqlBody<TData> };
}

const orgsQuery = (orgs: string[]) => `{ ${orgs.map((org, i) => `o${i}: org(id: "${org}") { id }`).join(' ')} }`;
const THIRTY_ORGS = Array.from({ length: 30 }, (_, i) => `org${i + 1}`);
const tokenCalls = () => sandbox.calls.list({ route: TOKEN_ROUTE }).map((call) => [call.org, call.status]);

/** Every key and value the shared stores hold, as text. */
async function redisContents(): Promise<string[]> {
  const keys = (await connection.command(['KEYS', '*'])) as string[];
  const values = await Promise.all(keys.map((key) => connection.command(['DUMP', key])));
  return [...keys, ...values.map((value) => String(value))];
}

describe('a refused credential across two replicas sharing Redis', () => {
  it('A makes one refused exchange for a query naming 30 orgs; B then makes none, with the same errors', async () => {
    const onA = await gql(a, orgsQuery(THIRTY_ORGS), CANARY);
    expect(tokenCalls()).toEqual([['org1', 401]]);

    const onB = await gql(b, orgsQuery(THIRTY_ORGS), CANARY);
    expect(tokenCalls()).toEqual([['org1', 401]]);

    for (const res of [onA, onB]) {
      expect(res.body.data).toEqual(Object.fromEntries(THIRTY_ORGS.map((_, i) => [`o${i}`, null])));
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(THIRTY_ORGS.map(() => 'UNAUTHENTICATED'));
      expect(JSON.stringify(res)).not.toContain(CANARY);
    }
  });

  it('Redis holds that refusal under a hash, with its time to live: never the key, nor its plain hash', async () => {
    const entries = (await connection.command(['KEYS', 'pog:tr:*'])) as string[];
    expect(entries).toHaveLength(1);
    const [entry = ''] = entries;
    expect(await connection.command(['GET', entry])).toBe('401');
    const ttl = Number(await connection.command(['PTTL', entry]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    const contents = (await redisContents()).join('\n');
    expect(contents).not.toContain(CANARY);
    expect(contents).not.toContain(hash('sha256', CANARY, 'base64url'));
    expect(contents).not.toContain(hash('sha256', CANARY, 'hex'));
  });

  it.each([
    ['an unknown key', 'fleet-garbage-key-1', 'org2'],
    ["org2's key", ORG2_KEY, 'org1'],
    ["org1's read-only key", ORG1_READONLY_KEY, 'org2'],
  ])('%s refused on B for an org costs A no exchange for it', async (_, apikey, org) => {
    const onB = await gql(b, orgsQuery([org]), apikey);
    const onA = await gql(a, orgsQuery([org]), apikey);

    expect(tokenCalls()).toEqual([[org, 401]]);
    for (const res of [onB, onA]) expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('a valid key is served by both replicas', async () => {
    for (const replica of [a, b]) {
      const res = await gql<{ org: { id: string } }>(replica, '{ org(id: "org1") { id } }', ORG1_KEY);
      expect(dataOf(res).org).toEqual({ id: 'org1' });
    }
    expect(tokenCalls()).toEqual([
      ['org1', 200],
      ['org1', 200],
    ]);
  });
});

describe('the Redis refusal store', () => {
  it('reads back what it stored, with the time left; a value outside 401/403 is no refusal', async () => {
    const store = createRedisRefusalStore(connection, {});
    const key = 'https://manager.example\norg1\ncredential-a';
    await store.set(key, { status: 403 }, 5_000);

    const found = await store.get(key);
    expect(found?.refusal).toEqual({ status: 403 });
    expect(found?.ttlMs).toBeGreaterThan(0);
    expect(found?.ttlMs).toBeLessThanOrEqual(5_000);
    expect(await store.get('https://manager.example\norg2\ncredential-a')).toBeUndefined();

    await connection.command(['SET', `pog:tr:${hash('sha256', key, 'base64url')}`, 'anything', 'PX', '5000']);
    expect(await store.get(key)).toBeUndefined();
  });

  it('answers "none" and never throws when Redis is unreachable, counting each failure', async () => {
    const unreachable = connectRedis(`redis://127.0.0.1:${await freePort()}`, 'cache', { commandTimeoutMs: 200 });
    const failures: unknown[] = [];
    const store = createRedisRefusalStore(unreachable, { onError: (error) => failures.push(error) });
    try {
      await expect(store.set('k', { status: 401 }, 1_000)).resolves.toBeUndefined();
      await expect(store.get('k')).resolves.toBeUndefined();
      expect(failures).toHaveLength(2);
    } finally {
      await unreachable.close();
    }
  });
});
