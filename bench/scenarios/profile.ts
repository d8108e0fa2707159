// Scenario "profile": the gateway under one load (BENCH_PROFILE_QUERY: typename, summary or
// detail) with `node --cpu-prof`, summarised as self time by package and by frame. Not part of
// the default run; its output is what bench/RESULTS.md quotes where a goal is not met.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { processCpuMs } from '../lib/cpu.ts';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { summarizeProfile } from '../lib/profile-summary.ts';
import { round } from '../lib/stats.ts';
import { APIKEY, DETAIL_QUERY, SUMMARY_QUERY, TYPENAME_QUERY } from '../peers/queries.ts';
import { BENCH_GATEWAY_ENV } from './throughput.ts';

const QUERIES: Record<string, string> = { typename: TYPENAME_QUERY, summary: SUMMARY_QUERY, detail: DETAIL_QUERY };

export async function runProfile(options: { query: string; durationS: number; connections: number; gatewayEnv?: Record<string, string> }) {
  const query = QUERIES[options.query];
  if (!query) throw new Error(`BENCH_PROFILE_QUERY must be one of ${Object.keys(QUERIES).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
  const sandbox = await startSandboxProcess();
  // The profile starts with the process: start-up and the warm-up are left out of the summary.
  const startedAt = performance.now();
  const gateway = await startGatewayProcess(
    sandbox.url,
    { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv },
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] },
  );
  let requests = 0;
  let cpuMs = 0;
  let loadFromMs = 0;
  try {
    const load = {
      url: gateway.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: APIKEY },
      body: JSON.stringify({ query }),
    };
    // The caller proven first, as in the throughput scenario (a client in steady state).
    await fetch(gateway.url, { ...load, body: JSON.stringify({ query: SUMMARY_QUERY }) }).then((res) => res.text());
    await autocannon({ ...load, connections: options.connections, duration: 2 });
    loadFromMs = performance.now() - startedAt;
    const before = processCpuMs(gateway.pid);
    const result = await autocannon({ ...load, connections: options.connections, duration: options.durationS });
    cpuMs = processCpuMs(gateway.pid) - before;
    requests = result.requests.total;
  } finally {
    await gateway.stop();
    await sandbox.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  return {
    query: options.query,
    requests,
    cpuMsPerRequest: round(cpuMs / Math.max(1, requests), 3),
    profile: join(dir, file),
    // Start-up and the warm-up are left out: the summary starts where the measured load did.
    ...summarizeProfile(join(dir, file), 25, loadFromMs),
  };
}
