// Scenario "healthy load" (issue 14): a healthy sandbox, 32 clients each sending the 45-orders
// detail read for one org back to back for 10 s. Every answer must be a 200 without `errors`: the
// per-org bulkhead may make calls wait, but must not shed load the upstream can take. The
// undici proxy runs the same load as a reference for the latency.
import { Agent, request } from 'undici';
import { processCpuMs } from '../lib/cpu.ts';
import { startGatewayProcess, startSandboxProcess, startService } from '../lib/processes.ts';
import type { Service } from '../lib/processes.ts';
import { percentile, round } from '../lib/stats.ts';
import { APIKEY, DETAIL_QUERY } from '../peers/queries.ts';
import { BENCH_GATEWAY_ENV } from './throughput.ts';

export async function runHealthyLoad(options: { clients: number; durationMs: number; gatewayEnv?: Record<string, string> }) {
  const sandbox = await startSandboxProcess();
  const gateway = await startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV, ...options.gatewayEnv });
  const proxy = await startService('bench/peers/undici-proxy.ts', { PHARMAONE_BASE_URL: sandbox.url }, /listening on (http:\/\/\S+)/);
  const body = JSON.stringify({ query: DETAIL_QUERY });
  try {
    return {
      clients: options.clients,
      durationMs: options.durationMs,
      gateway: await drive(gateway, gateway.url, body, options),
      'undici proxy': await drive(proxy, `${proxy.url.replace(/\/$/, '')}/detail`, body, options),
    };
  } finally {
    await Promise.all([gateway.stop(), proxy.stop()]);
    await sandbox.stop();
  }
}

async function drive(service: Service, url: string, body: string, options: { clients: number; durationMs: number }) {
  const pool = new Agent({ connections: options.clients });
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const cpuBefore = processCpuMs(service.pid);
  const endAt = performance.now() + options.durationMs;
  const client = async () => {
    while (performance.now() < endAt) {
      const started = performance.now();
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: APIKEY },
        body,
        dispatcher: pool,
      });
      const text = await res.body.text();
      latencies.push(performance.now() - started);
      if (res.statusCode !== 200 || text.includes('"errors"')) {
        const reason = /"reason":"(\w+)"/.exec(text)?.[1] ?? `http ${res.statusCode}`;
        errors[reason] = (errors[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const cpuMs = processCpuMs(service.pid) - cpuBefore;
  await pool.close();
  return {
    requests: latencies.length,
    failed: Object.values(errors).reduce((a, b) => a + b, 0),
    errors,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    cpuMsPerRequest: round(cpuMs / Math.max(1, latencies.length), 2),
  };
}
