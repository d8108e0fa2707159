// Scenario "throughput": the gateway next to its peers (bench/peers/), each its own process, under
// the same autocannon load (32 connections), one after the other in one run. For each: rps, p50,
// MB/s and CPU ms per request of the server process (from /proc, sampled around the load). Every
// comparison in bench/RESULTS.md is a ratio taken from one such run. Before loading, the gateway's
// and the proxy's answers are compared byte for byte, so both do the same work.
import autocannon from 'autocannon';
import { request } from 'undici';
import { processCpuMs } from '../lib/cpu.ts';
import { startGatewayProcess, startSandboxProcess, startService } from '../lib/processes.ts';
import type { Service } from '../lib/processes.ts';
import { round } from '../lib/stats.ts';
import { APIKEY, DETAIL_QUERY, PEER_SUMMARY_QUERY, SUMMARY_QUERY, TYPENAME_QUERY } from '../peers/queries.ts';

export interface LoadFigures {
  target: string;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  mbPerS: number;
  cpuMsPerRequest: number;
  /** CPU ms per request of each round, in order: paired with another target's rounds, load bursts on a shared host cancel out. */
  cpuMsPerRequestByRound: number[];
}

export interface ThroughputOptions {
  /** Measured seconds per target, split over `rounds`. */
  durationS: number;
  /** The targets of a scenario take turns this many times, so drift on a shared host hits them alike. */
  rounds: number;
  connections: number;
  /** Gateway environment on top of the bench defaults (e.g. to compare a setting). */
  gatewayEnv?: Record<string, string>;
  /**
   * A checkout of an earlier commit (BENCH_BASELINE_ROOT, with its own node_modules): its gateway
   * runs beside this one on every workload, so a change is measured before/after in one run.
   */
  baselineRoot?: string;
  /** Only these workloads (BENCH_WORKLOADS: typename, summary, detail); all by default. */
  workloads?: readonly string[] | undefined;
  /** Only these targets by name, `baseline` for the baseline's gateway (BENCH_TARGETS); all by default. */
  targets?: readonly string[] | undefined;
  /** Unmeasured load per target and workload before the rounds (BENCH_WARMUP_S). */
  warmupS: number;
}

/** The short names BENCH_WORKLOADS takes (the profile scenario's), and the workloads they name. */
const WORKLOADS: Record<string, string> = { typename: 'typename', summary: 'orders(first:10)', detail: '45 orders, every detail field' };
const BASELINE = 'baseline';

interface Target {
  name: string;
  service: Service;
  url: string;
  body: string;
  /** The answer fetched before the load; every answer under load must be these bytes. */
  expected?: string;
}

/**
 * Settings the bench gateway runs with: as deployed (NODE_ENV=production, the image's and the
 * ConfigMap's setting; graphql-js and Apollo skip their development checks), except that repeated
 * reads must reach PharmaOne. The peers run under NODE_ENV=production too.
 */
export const BENCH_GATEWAY_ENV = { NODE_ENV: 'production', RESPONSE_CACHE_MB: '0' };

/** The peer of issue 25: Fastify + Mercurius with graphql-jit, an undici Pool and a DataLoader. */
const MERCURIUS = 'fastify+mercurius jit';

export async function runThroughput(options: ThroughputOptions) {
  const sandbox = await startSandboxProcess();
  const env = { PHARMAONE_BASE_URL: sandbox.url, NODE_ENV: 'production' };
  const [gateway, gatewayJs, gatewayApollo, proxy, apolloRest, raw, mercurius] = await Promise.all([
    startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv }),
    // The same gateway on graphql-js alone: the compiled executor's effect, measured in the same run.
    startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv, GRAPHQL_JIT: 'false' }),
    // The same gateway with every request through Apollo's pipeline: the prepared operations' effect.
    startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv, GRAPHQL_PREPARED_OPERATIONS: 'false' }),
    startService('bench/peers/undici-proxy.ts', env, /listening on (http:\/\/\S+)/),
    startService('bench/peers/apollo-rest.ts', env, /listening on (http:\/\/\S+)/),
    startService('bench/peers/raw-http.ts', env, /listening on (http:\/\/\S+)/),
    startService('bench/peers/mercurius-jit.ts', env, /listening on (http:\/\/\S+)/),
  ]);
  const baseline = options.baselineRoot
    ? await startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv }, { root: options.baselineRoot })
    : undefined;
  const base = (url: string) => url.replace(/\/graphql$/, '').replace(/\/$/, '');
  const beside = (body: string): Target[] =>
    baseline ? [{ name: `gateway @ baseline (${options.baselineRoot})`, service: baseline, url: baseline.url, body }] : [];
  const gql = (query: string) => JSON.stringify({ query });
  try {
    const all: Record<string, Target[]> = {
      typename: [
        { name: 'gateway', service: gateway, url: gateway.url, body: gql(TYPENAME_QUERY) },
        { name: 'raw node:http', service: raw, url: `${base(raw.url)}/`, body: gql(TYPENAME_QUERY) },
        { name: MERCURIUS, service: mercurius, url: mercurius.url, body: gql(TYPENAME_QUERY) },
        { name: 'gateway, GRAPHQL_PREPARED_OPERATIONS=false', service: gatewayApollo, url: gatewayApollo.url, body: gql(TYPENAME_QUERY) },
        ...beside(gql(TYPENAME_QUERY)),
      ],
      'orders(first:10)': [
        { name: 'gateway', service: gateway, url: gateway.url, body: gql(SUMMARY_QUERY) },
        { name: 'gateway, GRAPHQL_JIT=false', service: gatewayJs, url: gatewayJs.url, body: gql(SUMMARY_QUERY) },
        { name: 'undici proxy', service: proxy, url: `${base(proxy.url)}/summary`, body: gql(SUMMARY_QUERY) },
        { name: 'apollo+RESTDataSource', service: apolloRest, url: apolloRest.url, body: gql(PEER_SUMMARY_QUERY) },
        { name: MERCURIUS, service: mercurius, url: mercurius.url, body: gql(SUMMARY_QUERY) },
        { name: 'gateway, GRAPHQL_PREPARED_OPERATIONS=false', service: gatewayApollo, url: gatewayApollo.url, body: gql(SUMMARY_QUERY) },
        ...beside(gql(SUMMARY_QUERY)),
      ],
      '45 orders, every detail field': [
        { name: 'gateway', service: gateway, url: gateway.url, body: gql(DETAIL_QUERY) },
        { name: 'gateway, GRAPHQL_JIT=false', service: gatewayJs, url: gatewayJs.url, body: gql(DETAIL_QUERY) },
        { name: 'undici proxy', service: proxy, url: `${base(proxy.url)}/detail`, body: gql(DETAIL_QUERY) },
        { name: MERCURIUS, service: mercurius, url: mercurius.url, body: gql(DETAIL_QUERY) },
        ...beside(gql(DETAIL_QUERY)),
      ],
    };
    const scenarios = pick(all, options);
    // Every gateway's caller is proven first, as a client is in steady state: a credential that
    // PharmaOne has accepted once (src/upstream/proven-credentials.ts). `{ __typename }` alone makes
    // no PharmaOne call, so without this its documents would stay in the unproven share and on
    // graphql-js (issue 21: callers not proven do not fill the document caches or get compiled plans).
    for (const service of [gateway, gatewayJs, gatewayApollo, baseline]) {
      if (service) await fetchOnce({ name: 'prove', service, url: service.url, body: gql(SUMMARY_QUERY) });
    }
    const sameBytes: Record<string, boolean> = {};
    for (const [scenario, targets] of Object.entries(scenarios)) {
      const answers = await Promise.all(targets.map((target) => fetchOnce(target)));
      for (const [i, target] of targets.entries()) {
        const answer = answers[i];
        if (answer?.status !== 200 || answer.text.includes('"errors"')) {
          throw new Error(`${target.name} (${scenario}): ${answer?.status} ${answer?.text.slice(0, 300)}`);
        }
        target.expected = answer.text;
      }
      // Every answer against the gateway's (the first target's): the same bytes, so the same work.
      for (const target of targets.slice(1))
        sameBytes[`${scenario}: ${targets[0]?.name} vs ${target.name}`] = target.expected === targets[0]?.expected;
    }
    const results: Record<string, LoadFigures[]> = {};
    for (const [scenario, targets] of Object.entries(scenarios)) {
      for (const target of targets) await warmUp(target, options);
      const runs = targets.map((target) => ({ target, runs: [] as Run[] }));
      for (let roundNo = 0; roundNo < options.rounds; roundNo++) {
        for (const entry of runs) entry.runs.push(await load(entry.target, options.durationS / options.rounds, options));
      }
      results[scenario] = runs.map((entry) => combine(entry.target.name, entry.runs, options.durationS));
    }
    return { options, sameBytes, results, ratios: ratiosOf(results), byRound: roundRatiosOf(results) };
  } finally {
    await Promise.all([
      gateway.stop(),
      gatewayJs.stop(),
      gatewayApollo.stop(),
      proxy.stop(),
      apolloRest.stop(),
      raw.stop(),
      mercurius.stop(),
      baseline?.stop(),
    ]);
    await sandbox.stop();
  }
}

async function fetchOnce(target: Target): Promise<{ status: number; text: string }> {
  const res = await request(target.url, { method: 'POST', headers: headers(), body: target.body });
  return { status: res.statusCode, text: await res.body.text() };
}

function headers(): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/graphql-response+json', apikey: APIKEY };
}

/** A warm-up so JIT compilation and pool connections are not billed to the measured runs. */
async function warmUp(target: Target, options: ThroughputOptions): Promise<void> {
  await autocannon({
    url: target.url,
    method: 'POST',
    headers: headers(),
    body: target.body,
    connections: options.connections,
    duration: options.warmupS,
  });
}

interface Run {
  requests: number;
  errors: number;
  bytes: number;
  cpuMs: number;
  p50Ms: number;
  p99Ms: number;
}

async function load(target: Target, durationS: number, options: ThroughputOptions): Promise<Run> {
  const cpuBefore = processCpuMs(target.service.pid);
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: headers(),
    body: target.body,
    // An error answer (e.g. UPSTREAM_UNAVAILABLE under load) is a 200 too: only the exact bytes count.
    ...(target.expected === undefined ? {} : { expectBody: target.expected }),
    connections: options.connections,
    duration: durationS,
  });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    bytes: result.throughput.average * durationS,
    cpuMs: processCpuMs(target.service.pid) - cpuBefore,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** The workloads and targets asked for (the first target of each stays first: the others are compared with it). */
function pick(all: Record<string, Target[]>, options: ThroughputOptions): Record<string, Target[]> {
  const workloads = options.workloads?.map((name) => WORKLOADS[name] ?? name) ?? Object.keys(all);
  const wanted = (target: Target) =>
    !options.targets ||
    options.targets.some((name) => target.name === name || (name === BASELINE && target.name.startsWith('gateway @ baseline')));
  return Object.fromEntries(
    Object.entries(all)
      .filter(([workload]) => workloads.includes(workload))
      .map(([workload, targets]) => [workload, targets.filter(wanted)]),
  );
}

/** Totals over the rounds; latency percentiles are the median of the rounds' own. */
function combine(name: string, runs: Run[], durationS: number): LoadFigures {
  const sum = (pick: (run: Run) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const requests = sum((run) => run.requests);
  return {
    target: name,
    requests,
    errors: sum((run) => run.errors),
    rps: round(requests / durationS),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    mbPerS: round(sum((run) => run.bytes) / durationS / 1e6, 2),
    cpuMsPerRequest: round(sum((run) => run.cpuMs) / Math.max(1, requests), 3),
    cpuMsPerRequestByRound: runs.map((run) => round(run.cpuMs / Math.max(1, run.requests), 3)),
  };
}

/** Each ratio: its label, the workload, the target the gateway is divided by, and the figure. */
const RATIOS: ReadonlyArray<readonly [string, string, string, 'rps' | 'cpuMsPerRequest' | 'mbPerS']> = [
  ['typename rps gateway/raw (goal ≥ 0.5)', 'typename', 'raw node:http', 'rps'],
  ['orders10 rps gateway/proxy (goal ≥ 0.7)', 'orders(first:10)', 'undici proxy', 'rps'],
  ['orders10 rps gateway/apollo+REST (goal ≥ 1.5)', 'orders(first:10)', 'apollo+RESTDataSource', 'rps'],
  ['detail45 MB/s gateway/proxy (goal ≥ 0.7)', '45 orders, every detail field', 'undici proxy', 'mbPerS'],
  ['typename cpu/request gateway/raw', 'typename', 'raw node:http', 'cpuMsPerRequest'],
  ['orders10 cpu/request gateway/proxy', 'orders(first:10)', 'undici proxy', 'cpuMsPerRequest'],
  ['orders10 cpu/request gateway/apollo+REST', 'orders(first:10)', 'apollo+RESTDataSource', 'cpuMsPerRequest'],
  ['detail45 cpu/request gateway/proxy', '45 orders, every detail field', 'undici proxy', 'cpuMsPerRequest'],
  // Issue 25's goals against the Mercurius peer.
  ['typename rps gateway/mercurius (goal ≥ 1.0)', 'typename', MERCURIUS, 'rps'],
  ['orders10 rps gateway/mercurius (goal ≥ 0.85)', 'orders(first:10)', MERCURIUS, 'rps'],
  ['orders10 cpu/request gateway/mercurius (goal ≤ 1.2)', 'orders(first:10)', MERCURIUS, 'cpuMsPerRequest'],
  ['detail45 MB/s gateway/mercurius (goal ≥ 1.0)', '45 orders, every detail field', MERCURIUS, 'mbPerS'],
  // Issue 20's goal: CPU per request within 5 % of the baseline's (BENCH_BASELINE_ROOT).
  ['typename cpu/request gateway/baseline (goal ≤ 1.05)', 'typename', BASELINE, 'cpuMsPerRequest'],
  ['orders10 cpu/request gateway/baseline (goal ≤ 1.05)', 'orders(first:10)', BASELINE, 'cpuMsPerRequest'],
  ['detail45 cpu/request gateway/baseline (goal ≤ 1.05)', '45 orders, every detail field', BASELINE, 'cpuMsPerRequest'],
];

/** The ratios whose two targets ran (BENCH_WORKLOADS and BENCH_TARGETS may leave some out). */
function ratiosOf(results: Record<string, LoadFigures[]>): Record<string, number> {
  const figure = (workload: string, target: string) =>
    results[workload]?.find((r) => r.target === target || (target === BASELINE && r.target.startsWith('gateway @ baseline')));
  const ratios: Record<string, number> = {};
  for (const [label, workload, target, metric] of RATIOS) {
    const gateway = figure(workload, 'gateway');
    const other = figure(workload, target);
    if (gateway && other) ratios[label] = round(gateway[metric] / other[metric], metric === 'cpuMsPerRequest' ? 3 : 2);
  }
  return ratios;
}

/** Gateway / baseline CPU per request round by round: median and range, steadier than totals on a busy host. */
function roundRatiosOf(results: Record<string, LoadFigures[]>): Record<string, { median: number; min: number; max: number }> {
  const ratios: Record<string, { median: number; min: number; max: number }> = {};
  for (const [workload, figures] of Object.entries(results)) {
    const gateway = figures.find((figure) => figure.target === 'gateway');
    const baseline = figures.find((figure) => figure.target.startsWith('gateway @ baseline'));
    if (!gateway || !baseline) continue;
    const each = gateway.cpuMsPerRequestByRound
      .map((cpu, i) => cpu / (baseline.cpuMsPerRequestByRound[i] ?? Number.NaN))
      .sort((a, b) => a - b);
    ratios[`${workload} cpu/request gateway/baseline by round`] = {
      median: round(each[Math.floor(each.length / 2)] ?? Number.NaN, 3),
      min: round(each[0] ?? Number.NaN, 3),
      max: round(each[each.length - 1] ?? Number.NaN, 3),
    };
  }
  return ratios;
}
