// Scenario "store-sharing" (issue 12): the cost of sharing state through Redis. Two gateway
// processes on one sandbox process, one with in-memory stores and one with REDIS_URL set (a
// redis-server on loopback), measured side by side in one run, one request at a time, alternating
// so drift on this noisy machine hits both alike:
// - `orders(first: 10)`: a read the response cache does not keep (orders change all the time): the
//   Redis side pays one cache lookup per query;
// - a cache hit: shops + dashboard, answered from the response cache after the first request;
// - a keyed mutation (submitOrderRequest with a new idempotencyKey each time): claim + complete.
// Reported per side: latency p50/p95, and the gateway's CPU ms per request (its /proc stat) plus
// redis-server's.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import type { Service } from '../lib/processes.ts';
import { startRedis } from '../lib/redis-server.ts';
import { percentile, round } from '../lib/stats.ts';
import { processCpuMs } from '../lib/cpu.ts';

const APIKEY = 'sandbox-org1-key';
const ORDERS = 'query BenchOrders { org(id: "org1") { orders(first: 10) { nodes { id status totalAmount { amount } } } } }';
const CACHED = 'query BenchCached { org(id: "org1") { shops { id name } reports { dashboard { prescriptions { total } } } } }';
const SUBMIT =
  'mutation BenchSubmit($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { orderRequest { id } userErrors { code } } }';

export interface StoreSharingOptions {
  iterations: number;
  warmup: number;
}

type Work = (url: string) => Promise<void>;

async function post(url: string, body: unknown): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: APIKEY },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200 || text.includes('"errors"') || text.includes('"code"'))
    throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
}

const WORK: Record<string, Work> = {
  'orders(first: 10)': (url) => post(url, { query: ORDERS }),
  'cache hit (shops + dashboard)': (url) => post(url, { query: CACHED }),
  'keyed mutation': (url) =>
    post(url, {
      query: SUBMIT,
      variables: {
        i: {
          orgId: 'org1',
          shopId: 'shop1',
          customer: { name: 'Bench', email: 'bench@example.com' },
          items: [{ name: 'Bench item', quantity: 1, unitPrice: '1.00' }],
          idempotencyKey: randomUUID(),
        },
      },
    }),
};

export async function runStoreSharing(options: StoreSharingOptions) {
  const sandbox = await startSandboxProcess();
  const redis = await startRedis({ maxmemory: '256mb', policy: 'noeviction' });
  const base = { LOG_LEVEL: 'warn', GRAPHIQL_ENABLED: 'false' };
  const sides: Record<'memory' | 'redis', Service> = {
    memory: await startGatewayProcess(sandbox.url, base),
    redis: await startGatewayProcess(sandbox.url, { ...base, REDIS_URL: redis.url }),
  };
  try {
    const results = [];
    for (const [name, work] of Object.entries(WORK)) {
      for (let i = 0; i < options.warmup; i++) for (const side of Object.values(sides)) await work(side.url);
      const ms: Record<'memory' | 'redis', number[]> = { memory: [], redis: [] };
      const cpu: Record<'memory' | 'redis', number> = { memory: 0, redis: 0 };
      let redisCpu = 0;
      for (let i = 0; i < options.iterations; i++) {
        for (const side of ['memory', 'redis'] as const) {
          const service = sides[side];
          const cpuBefore = processCpuMs(service.pid);
          const redisBefore = side === 'redis' ? processCpuMs(redis.pid) : 0;
          const started = performance.now();
          await work(service.url);
          ms[side].push(performance.now() - started);
          cpu[side] += processCpuMs(service.pid) - cpuBefore;
          if (side === 'redis') redisCpu += processCpuMs(redis.pid) - redisBefore;
        }
      }
      const summary = (side: 'memory' | 'redis') => ({
        p50Ms: round(percentile(ms[side], 50), 2),
        p95Ms: round(percentile(ms[side], 95), 2),
        gatewayCpuMsPerRequest: round(cpu[side] / options.iterations, 2),
      });
      results.push({
        work: name,
        iterations: options.iterations,
        memory: summary('memory'),
        redis: { ...summary('redis'), redisServerCpuMsPerRequest: round(redisCpu / options.iterations, 3) },
        ratioP50: round(percentile(ms.redis, 50) / percentile(ms.memory, 50), 2),
        redisOverheadP50Ms: round(percentile(ms.redis, 50) - percentile(ms.memory, 50), 2),
      });
    }
    return results;
  } finally {
    await sides.memory.stop();
    await sides.redis.stop();
    await sandbox.stop();
    await redis.stop();
  }
}
