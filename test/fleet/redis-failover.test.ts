// Redis failover under keyed-write load, with real processes on loopback (issue 26): the
// idempotency records live on a primary + two replicas watched by three redis-sentinel processes,
// behind a managed-style stable endpoint (REDIS_IDEMPOTENCY_URL); two gateway replicas; the
// sandbox. The primary is SIGKILLed while clients submit orders under idempotency keys. The same
// run as `npm run chaos -- --failover` (bench/lib/failover.ts), smaller.
import { afterAll, expect, it } from 'vitest';
import { failoverViolations, runFailover } from '../../bench/lib/failover.ts';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startRedisGroup } from '../../bench/lib/redis-failover.ts';
import type { RedisGroup } from '../../bench/lib/redis-failover.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { Sandbox } from '../support/gateway.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

let sandbox: Sandbox | undefined;
let cache: TestRedis | undefined;
let group: RedisGroup | undefined;
const replicas: Service[] = [];
afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await group?.stop();
  await cache?.stop();
  await sandbox?.close();
});

it('resumes keyed writes within 10 s of the primary dying, with no duplicate and no lost acknowledged order', async () => {
  sandbox = await startSandbox({ port: 0 });
  cache = await startRedis();
  // Sentinel judges a node down after 2.5 s without a reply, not 1 s: on a loaded CI machine a
  // promoted replica that answered late was once taken for dead too (a second, spurious failover).
  group = await startRedisGroup({ replicas: 2, sentinels: 3, downAfterMs: 2_500 });
  const env = { REDIS_URL: cache.url, REDIS_IDEMPOTENCY_URL: group.url, GRAPHIQL_ENABLED: 'false', LOG_LEVEL: 'warn' };
  replicas.push(...(await Promise.all([startGatewayProcess(sandbox.url, env), startGatewayProcess(sandbox.url, env)])));

  const report = await runFailover({
    gatewayUrls: replicas.map((replica) => replica.url),
    group,
    sandboxUrl: sandbox.url,
    clients: 4,
    acknowledgedBefore: 20,
    acknowledgedAfter: 20,
  });

  expect(failoverViolations(report)).toEqual([]);
  expect(report.writes).toMatchObject({ duplicates: 0, lostAcknowledged: 0, unacknowledged: 0 });
  expect(report.writes.acknowledged).toBeGreaterThanOrEqual(40);
  expect(report.writesResumedMs).toBeLessThanOrEqual(10_000);
  expect(group.switches()).toBe(1);
  // What happened is on record: each replica lost its idempotency connection (once at least) and
  // has it back; the keyed writes refused meanwhile were counted, all retryable ones.
  for (const state of report.readiness) expect(state).toEqual({ reachable: true, disconnects: expect.any(Number) });
  expect(report.readiness.every((state) => state.disconnects >= 1)).toBe(true);
  expect(
    Object.keys(report.writes.refused).every((kind) => /IDEMPOTENCY_STORE_UNAVAILABLE|OUTCOME_UNKNOWN|IDEMPOTENCY_KEY_IN_USE/.test(kind)),
  ).toBe(true);
}, 120_000);
