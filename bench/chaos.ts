// `npm run chaos`: the chaos run (bench/lib/chaos.ts) against the sandbox and the gateway as their
// own processes, with the gateway's default resilience settings. CHAOS_DURATION_MS (default 60 s)
// and CHAOS_CLIENTS (default 16) size it. Prints the figures; exits 1 if a promise is broken.
//
// `npm run chaos -- --fleet` (or CHAOS_FLEET=true): three gateway replicas sharing one
// redis-server (REDIS_URL), clients spread over them round-robin, the same upstream faults, and
// during the run one replica is SIGKILLed and restarted (at a third of the run) and Redis is
// restarted (at two thirds; it keeps no data, the worst case). Same promises: 0 duplicate orders,
// 0 lost acknowledged orders, read error rate ≤ 0.5%.
//
// `npm run chaos -- --rolling` (or CHAOS_ROLLING=true): a rolling update under load instead
// (bench/rolling.ts): three replicas behind haproxy, each replaced once; no upstream faults.
//
// `npm run chaos -- --failover` (or CHAOS_FAILOVER=true): the idempotency Redis's primary is
// SIGKILLed under keyed-write load (bench/failover.ts): Sentinel promotes a replica.
import os from 'node:os';
import { chaosViolations, runChaos, scrape } from './lib/chaos.ts';
import type { UpstreamCounters } from './lib/chaos.ts';
import { startGatewayProcess, startSandboxProcess } from './lib/processes.ts';
import type { Service } from './lib/processes.ts';
import { freePort, startRedis } from './lib/redis-server.ts';
import type { TestRedis } from './lib/redis-server.ts';

const durationMs = Number(process.env.CHAOS_DURATION_MS ?? 60_000);
const clients = Number(process.env.CHAOS_CLIENTS ?? 16);
const fleet = process.argv.includes('--fleet') || process.env.CHAOS_FLEET === 'true';
const REPLICAS = 3;

if (process.argv.includes('--rolling') || process.env.CHAOS_ROLLING === 'true') {
  const { rollingMain } = await import('./rolling.ts');
  process.exit(await rollingMain());
}
if (process.argv.includes('--failover') || process.env.CHAOS_FAILOVER === 'true') {
  const { failoverMain } = await import('./failover.ts');
  process.exit(await failoverMain());
}

const sandbox = await startSandboxProcess();
let redis: TestRedis | undefined;
const replicas: Service[] = [];
let violations: string[] = [];
try {
  const ports: number[] = [];
  let env: Record<string, string>;
  if (fleet) {
    redis = await startRedis({ maxmemory: '256mb', policy: 'noeviction' });
    // The shared response cache is on in fleet mode: its cross-replica invalidation is part of what runs.
    env = { REDIS_URL: redis.url, LOG_LEVEL: 'warn', GRAPHIQL_ENABLED: 'false' };
    for (let index = 0; index < REPLICAS; index++) ports.push(await freePort());
  } else {
    // The response cache would answer repeated reads without PharmaOne; the run is about PharmaOne failing.
    env = { RESPONSE_CACHE_MB: '0', LOG_LEVEL: 'warn', GRAPHIQL_ENABLED: 'false' };
    ports.push(0);
  }
  // Fixed ports in fleet mode, so a restarted replica comes back at the address the clients use.
  const startReplica = (port: number) => startGatewayProcess(sandbox.url, { ...env, PORT: String(port) });
  for (const port of ports) replicas.push(await startReplica(port));
  const urls = replicas.map((replica) => replica.url);

  const lost: UpstreamCounters = { attempts: 0, retries: 0, budgetExhausted: 0 };
  const events = fleet
    ? [
        {
          atMs: durationMs / 3,
          name: 'SIGKILL replica 2, then restart it',
          run: async () => {
            const victim = replicas[1];
            const port = ports[1];
            if (!victim || port === undefined) throw new Error('fleet mode runs three replicas');
            const counters = await scrape(victim.url);
            lost.attempts += counters.attempts;
            lost.retries += counters.retries;
            lost.budgetExhausted += counters.budgetExhausted;
            await victim.kill();
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            replicas[1] = await startReplica(port);
          },
        },
        {
          atMs: (2 * durationMs) / 3,
          name: 'restart Redis (it comes back empty)',
          run: async () => {
            if (!redis) throw new Error('fleet mode runs a Redis');
            await redis.stop();
            await new Promise((resolve) => setTimeout(resolve, 500));
            await redis.start();
          },
        },
      ]
    : undefined;

  console.log(
    JSON.stringify({
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      at: new Date().toISOString(),
      mode: fleet ? `fleet: ${REPLICAS} replicas, one Redis` : 'one gateway',
      durationMs,
      clients,
    }),
  );
  const report = await runChaos({
    gatewayUrl: replicas[0]?.url ?? '',
    ...(fleet && { gatewayUrls: urls, events, lostCounters: () => lost }),
    sandboxUrl: sandbox.url,
    durationMs,
    clients,
    writeShare: 0.2,
    // The gateway's defaults (docs/configuration.md: UPSTREAM_RETRY_BUDGET_*).
    retryBudget: { ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10_000 },
  });
  console.log(JSON.stringify(report, null, 2));
  violations = chaosViolations(report);
  console.log(violations.length === 0 ? 'chaos: all promises kept' : `chaos: FAILED\n  ${violations.join('\n  ')}`);
} finally {
  for (const replica of replicas) await replica.stop();
  await sandbox.stop();
  await redis?.stop();
}
process.exit(violations.length === 0 ? 0 : 1);
