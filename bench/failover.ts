// `npm run chaos -- --failover`: Redis failover under keyed-write load (bench/lib/failover.ts) with
// the sandbox as its own process, two gateway replicas, the caches on one redis-server and the
// idempotency records on a primary + two replicas + three Sentinels behind a stable endpoint.
// FAILOVER_CLIENTS (default 16) and FAILOVER_WRITES (default 500 acknowledged before the kill,
// and as many after the promotion) size it. Prints the figures; exits 1 if a promise is broken.
import os from 'node:os';
import { failoverViolations, runFailover } from './lib/failover.ts';
import { startGatewayProcess, startSandboxProcess } from './lib/processes.ts';
import type { Service } from './lib/processes.ts';
import { startRedisGroup } from './lib/redis-failover.ts';
import type { RedisGroup } from './lib/redis-failover.ts';
import { startRedis } from './lib/redis-server.ts';
import type { TestRedis } from './lib/redis-server.ts';

export async function failoverMain(): Promise<number> {
  const clients = Number(process.env.FAILOVER_CLIENTS ?? 16);
  const writes = Number(process.env.FAILOVER_WRITES ?? 500);
  const sandbox = await startSandboxProcess();
  let cache: TestRedis | undefined;
  let group: RedisGroup | undefined;
  const replicas: Service[] = [];
  let failed = false;
  try {
    cache = await startRedis();
    group = await startRedisGroup({ replicas: 2, sentinels: 3 });
    const env = { REDIS_URL: cache.url, REDIS_IDEMPOTENCY_URL: group.url, GRAPHIQL_ENABLED: 'false', LOG_LEVEL: 'warn' };
    for (let index = 0; index < 2; index++) replicas.push(await startGatewayProcess(sandbox.url, env));
    console.log(
      JSON.stringify({
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
        at: new Date().toISOString(),
        mode: 'Redis failover: idempotency on primary + 2 replicas + 3 Sentinels behind a stable endpoint; 2 gateway replicas',
        clients,
        writes,
      }),
    );
    const report = await runFailover({
      gatewayUrls: replicas.map((replica) => replica.url),
      group,
      sandboxUrl: sandbox.url,
      clients,
      acknowledgedBefore: writes,
      acknowledgedAfter: writes,
    });
    console.log(JSON.stringify(report, null, 2));
    const violations = failoverViolations(report);
    failed = violations.length > 0;
    console.log(failed ? `failover: FAILED\n  ${violations.join('\n  ')}` : 'failover: all promises kept');
  } finally {
    for (const replica of replicas) await replica.stop();
    await group?.stop();
    await cache?.stop();
    await sandbox.stop();
  }
  return failed ? 1 : 0;
}
