// `npm run bench [scenario…]`: benchmarks, not tests. Prints the machine and a JSON result per
// scenario; bench/RESULTS.md records runs by hand with the command and the numbers.
import os from 'node:os';
import { runClientQuota } from './scenarios/client-quota.ts';
import { runDefer } from './scenarios/defer.ts';
import { runConstantLatency } from './scenarios/constant-latency.ts';
import { runEntities } from './scenarios/entities.ts';
import { runFieldGuard } from './scenarios/field-guard.ts';
import { runHealthyLoad } from './scenarios/healthy-load.ts';
import { runLogLines } from './scenarios/log-lines.ts';
import { runNestedFanOut } from './scenarios/nested-fan-out.ts';
import { runOrderFeed } from './scenarios/order-feed.ts';
import { runPaired } from './scenarios/paired.ts';
import { runProfile } from './scenarios/profile.ts';
import { runSoak } from './scenarios/soak.ts';
import { runStoreSharing } from './scenarios/store-sharing.ts';
import { runTableRetention } from './scenarios/table-retention.ts';
import { runThroughput } from './scenarios/throughput.ts';

// Extra gateway settings for an experiment, e.g. BENCH_GATEWAY_ENV='{"UPSTREAM_ORG_CONCURRENCY":"64"}'.
const gatewayEnv = JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') as Record<string, string>;
// Seconds of unmeasured load per target before the rounds: the optimizing compiler still works on
// the gateway's hot paths after 2 s (perf: ~4 % of its CPU in compile threads at 35 s), and a
// server's steady state is what a deployment runs at. Every target gets the same warm-up.
const warmupS = Number(process.env.BENCH_WARMUP_S ?? 10);

const scenarios: Record<string, () => Promise<unknown>> = {
  // The gateway next to its peers (bench/peers/): rps, p50, MB/s, CPU ms per request (issue 14).
  throughput: () =>
    runThroughput({
      durationS: Number(process.env.BENCH_DURATION_S ?? 10),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
      gatewayEnv,
      baselineRoot: process.env.BENCH_BASELINE_ROOT,
      workloads: process.env.BENCH_WORKLOADS?.split(','),
      targets: process.env.BENCH_TARGETS?.split(','),
      warmupS,
    }),
  // PharmaOne answering in BENCH_UPSTREAM_LATENCY_MS (4), BENCH_CLIENTS (50) clients in a closed
  // loop on orders(first: 10): p50/p95/p99, CPU and RSS of the gateway and Mercurius (issue 25).
  'constant-latency': () =>
    runConstantLatency({
      latencyMs: Number(process.env.BENCH_UPSTREAM_LATENCY_MS ?? 4),
      clients: Number(process.env.BENCH_CLIENTS ?? 50),
      durationS: Number(process.env.BENCH_DURATION_S ?? 10),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      gatewayEnv,
      warmupS,
    }),
  // 32 clients reading 45 orders with details from one org: no answer may fail (issue 14).
  'healthy-load': () =>
    runHealthyLoad({
      clients: Number(process.env.BENCH_CLIENTS ?? 32),
      durationMs: Number(process.env.BENCH_DURATION_S ?? 10) * 1000,
      gatewayEnv,
    }),
  'nested-fan-out': () =>
    runNestedFanOut({
      latencies: (process.env.BENCH_LATENCIES ?? '0,5,20').split(',').map(Number),
      iterations: Number(process.env.BENCH_ITERATIONS ?? 200),
      warmup: Number(process.env.BENCH_WARMUP ?? 20),
    }),
  // FEDERATION_SUBGRAPH=true: `_entities` for 20 order references vs orders(first: 20).
  entities: () =>
    runEntities({
      latencies: [0, 20],
      iterations: Number(process.env.BENCH_ITERATIONS ?? 200),
      warmup: Number(process.env.BENCH_WARMUP ?? 20),
    }),
  // A quiet client's latency alone and beside a flooding client of the same org (issue 27).
  'client-quota': () =>
    runClientQuota({
      iterations: Number(process.env.BENCH_ITERATIONS ?? 400),
      floodRps: Number(process.env.BENCH_FLOOD_RPS ?? 200),
      clientCalls: Number(process.env.BENCH_CLIENT_CALLS ?? 600),
    }),
  // @defer on NestedOrders' details and @stream on 45 orders at 300 ms per PharmaOne call (issue 24).
  defer: () =>
    runDefer({
      latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 300),
      iterations: Number(process.env.BENCH_ITERATIONS ?? 10),
      warmup: Number(process.env.BENCH_WARMUP ?? 2),
    }),
  'store-sharing': () =>
    runStoreSharing({ iterations: Number(process.env.BENCH_ITERATIONS ?? 300), warmup: Number(process.env.BENCH_WARMUP ?? 30) }),
  // The live order feed at 1, 100 and 1,000 subscribers: upstream calls, gateway CPU, event latency.
  'order-feed': () =>
    runOrderFeed({
      counts: (process.env.BENCH_FEED_SUBSCRIBERS ?? '1,100,1000').split(',').map(Number),
      durationMs: Number(process.env.BENCH_FEED_MS ?? 30_000),
      pollMs: Number(process.env.BENCH_FEED_POLL_MS ?? 1_000),
      changeEveryMs: Number(process.env.BENCH_FEED_CHANGE_MS ?? 500),
    }),
  // In process: graphql-jit on orders(first: 10) with and without the field guard (issue 25).
  'field-guard': () =>
    runFieldGuard({ executions: Number(process.env.BENCH_ITERATIONS ?? 20_000), rounds: Number(process.env.BENCH_ROUNDS ?? 8) }),
  // CPU per log line at 4, 8 and 16 lines per turn: the gateway's stdout writer and pino's default (issue 25).
  'log-lines': () =>
    runLogLines({
      perTurn: (process.env.BENCH_LINES_PER_TURN ?? '4,8,16').split(',').map(Number),
      lines: Number(process.env.BENCH_ITERATIONS ?? 160_000),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    }),
  // The gateway and a second server (BENCH_BASELINE_ROOT's gateway, else Mercurius) loaded at once
  // at BENCH_RATE requests per second each (0: saturated): CPU per request, window by window (issue 25).
  paired: () =>
    runPaired({
      workload: process.env.BENCH_WORKLOAD ?? 'summary',
      rate: Number(process.env.BENCH_RATE ?? 1_000),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 8),
      windows: Number(process.env.BENCH_ROUNDS ?? 12),
      windowS: Number(process.env.BENCH_DURATION_S ?? 4),
      warmupS,
      baselineRoot: process.env.BENCH_BASELINE_ROOT,
    }),
  // What V8's young-generation collections promote when request-sized objects pass through a
  // long-lived Set, Map, WeakSet or WeakMap, next to a counter (issue 25, docs/performance.md).
  'table-retention': () => runTableRetention(),
  // Not part of the default run: a CPU profile of the gateway under one load (BENCH_PROFILE_QUERY).
  profile: () =>
    runProfile({
      query: process.env.BENCH_PROFILE_QUERY ?? 'detail',
      durationS: Number(process.env.BENCH_DURATION_S ?? 10),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
      gatewayEnv,
    }),
  // Not part of the default run: 10 minutes unless SOAK_DURATION_MS says otherwise.
  soak: () =>
    runSoak({
      durationMs: Number(process.env.SOAK_DURATION_MS ?? 600_000),
      clients: Number(process.env.SOAK_CLIENTS ?? 8),
      sampleEveryMs: Number(process.env.SOAK_SAMPLE_MS ?? 10_000),
    }),
};
const DEFAULT_SCENARIOS = ['throughput', 'healthy-load', 'nested-fan-out'];

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : DEFAULT_SCENARIOS;
const unknown = names.filter((name) => !(name in scenarios));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}

console.log(
  JSON.stringify({
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    at: new Date().toISOString(),
  }),
);
for (const name of names) {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const result = await scenario();
  console.log(JSON.stringify({ scenario: name, result }, null, 2));
}
