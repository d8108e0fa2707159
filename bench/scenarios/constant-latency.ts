// Scenario "constant-latency" (issue 25): the constant-latency method gateway benchmarks use.
// PharmaOne (the sandbox) answers every call after a fixed delay (4 ms by default), and a fixed
// number of clients (50) each send `orders(first: 10)` again as soon as the last answer arrived,
// to the gateway and to the Mercurius + graphql-jit peer in turns. Reported per target: p50, p95
// and p99 latency of every request (not a histogram's buckets), rps, CPU ms per request, and the
// server's RSS at the end of its load and its peak (VmRSS, VmHWM from /proc).
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { processCpuMs } from '../lib/cpu.ts';
import { startGatewayProcess, startSandboxProcess, startService } from '../lib/processes.ts';
import type { Service } from '../lib/processes.ts';
import { percentile, round } from '../lib/stats.ts';
import { APIKEY, SUMMARY_QUERY } from '../peers/queries.ts';
import { BENCH_GATEWAY_ENV } from './throughput.ts';

export interface ConstantLatencyOptions {
  latencyMs: number;
  clients: number;
  /** Measured seconds per target, split over `rounds`. */
  durationS: number;
  rounds: number;
  gatewayEnv?: Record<string, string>;
  /** Unmeasured load per target before the rounds (BENCH_WARMUP_S). */
  warmupS: number;
}

interface Target {
  name: string;
  service: Service;
  expected?: string;
  latenciesMs: number[];
  requests: number;
  errors: number;
  cpuMs: number;
  seconds: number;
}

export async function runConstantLatency(options: ConstantLatencyOptions) {
  const sandbox = await startSandboxProcess({ SANDBOX_LATENCY_MS: String(options.latencyMs) });
  const [gateway, mercurius] = await Promise.all([
    startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv }),
    startService(
      'bench/peers/mercurius-jit.ts',
      { PHARMAONE_BASE_URL: sandbox.url, NODE_ENV: 'production' },
      /listening on (http:\/\/\S+)/,
    ),
  ]);
  const body = JSON.stringify({ query: SUMMARY_QUERY });
  const targets: Target[] = [
    { name: 'gateway', service: gateway, latenciesMs: [], requests: 0, errors: 0, cpuMs: 0, seconds: 0 },
    { name: 'fastify+mercurius jit', service: mercurius, latenciesMs: [], requests: 0, errors: 0, cpuMs: 0, seconds: 0 },
  ];
  try {
    for (const target of targets) {
      const answer = await post(target.service.url, body);
      if (answer.status !== 200 || answer.text.includes('"errors"'))
        throw new Error(`${target.name}: ${answer.status} ${answer.text.slice(0, 300)}`);
      target.expected = answer.text;
    }
    const sameBytes = targets[0]?.expected === targets[1]?.expected;
    // A warm-up per target (JIT, pools, the gateway's compiled plan), not measured.
    for (const target of targets) await closedLoop(target, body, options.clients, options.warmupS, false);
    for (let round_ = 0; round_ < options.rounds; round_++) {
      for (const target of targets) await closedLoop(target, body, options.clients, options.durationS / options.rounds, true);
    }
    return {
      options,
      sameBytes,
      results: targets.map((target) => ({
        target: target.name,
        requests: target.requests,
        errors: target.errors,
        rps: round(target.requests / target.seconds),
        p50Ms: round(percentile(target.latenciesMs, 50), 2),
        p95Ms: round(percentile(target.latenciesMs, 95), 2),
        p99Ms: round(percentile(target.latenciesMs, 99), 2),
        cpuMsPerRequest: round(target.cpuMs / Math.max(1, target.requests), 3),
        ...memoryOf(target.service.pid),
      })),
    };
  } finally {
    await Promise.all([gateway.stop(), mercurius.stop()]);
    await sandbox.stop();
  }
}

/** `clients` loops, each sending the next request when its last answer arrived, for `seconds`. */
async function closedLoop(target: Target, body: string, clients: number, seconds: number, measured: boolean): Promise<void> {
  const url = new URL(target.service.url);
  const pool = new Pool(url.origin, { connections: clients, pipelining: 1 });
  const cpuBefore = processCpuMs(target.service.pid);
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < endAt) {
      const sent = performance.now();
      let ok = false;
      try {
        const res = await pool.request({ path: url.pathname, method: 'POST', headers: HEADERS, body });
        const text = await res.body.text();
        ok = res.statusCode === 200 && text === target.expected;
      } catch {
        ok = false;
      }
      if (!measured) continue;
      target.latenciesMs.push(performance.now() - sent);
      target.requests += 1;
      if (!ok) target.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  if (measured) {
    target.cpuMs += processCpuMs(target.service.pid) - cpuBefore;
    target.seconds += (performance.now() - started) / 1000;
  }
  await pool.close();
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json', apikey: APIKEY };

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: HEADERS, body });
  return { status: res.status, text: await res.text() };
}

/** The server's resident memory now and at its peak, in MiB. */
function memoryOf(pid: number): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN);
  return { rssMiB: round(kib('VmRSS') / 1024), peakRssMiB: round(kib('VmHWM') / 1024) };
}
