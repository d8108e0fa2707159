// Scenario "paired": two servers loaded at the same time, each at the same fixed rate, and their
// CPU per request compared window by window. This VM's speed moves by ±30 % from one minute to the
// next; servers measured one after the other (the throughput scenario's rounds) see different
// machines, servers measured together see the same one. Two A/A runs (main against itself) gave
// per-window ratio medians of 0.981 and 0.994, quartiles within 0.944–1.009 (bench/RESULTS.md).
// The second server is a baseline checkout's gateway (BENCH_BASELINE_ROOT) or the Mercurius peer.
import autocannon from 'autocannon';
import { processCpuMs } from '../lib/cpu.ts';
import { startGatewayProcess, startSandboxProcess, startService } from '../lib/processes.ts';
import type { Service } from '../lib/processes.ts';
import { percentile, round } from '../lib/stats.ts';
import { APIKEY, DETAIL_QUERY, SUMMARY_QUERY, TYPENAME_QUERY } from '../peers/queries.ts';
import { BENCH_GATEWAY_ENV } from './throughput.ts';

export interface PairedOptions {
  /** typename, summary or detail. */
  workload: string;
  /** Requests per second sent to each server; 0: as fast as each answers (both saturated). */
  rate: number;
  connections: number;
  windows: number;
  windowS: number;
  warmupS: number;
  /** The other server: a checkout whose gateway runs beside this one, or (undefined) the Mercurius peer. */
  baselineRoot?: string | undefined;
}

const QUERIES: Record<string, string> = { typename: TYPENAME_QUERY, summary: SUMMARY_QUERY, detail: DETAIL_QUERY };

export async function runPaired(options: PairedOptions) {
  const query = QUERIES[options.workload];
  if (!query) throw new Error(`BENCH_WORKLOAD must be one of ${Object.keys(QUERIES).join(', ')}`);
  const sandbox = await startSandboxProcess();
  // Started together: neither is the process that had the machine to itself at start-up.
  const starting = await Promise.allSettled([
    startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV }),
    options.baselineRoot
      ? startGatewayProcess(sandbox.url, { ...BENCH_GATEWAY_ENV }, { root: options.baselineRoot })
      : startService(
          'bench/peers/mercurius-jit.ts',
          { PHARMAONE_BASE_URL: sandbox.url, NODE_ENV: 'production' },
          /listening on (http:\/\/\S+)/,
        ),
  ]);
  const started = starting.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  try {
    const [ours, theirs] = started;
    if (!ours || !theirs) throw new Error('a server of the pair did not start');
    const servers = [
      { name: 'gateway', service: ours },
      { name: options.baselineRoot ? 'baseline' : 'fastify+mercurius jit', service: theirs },
    ];
    const load = (service: Service, seconds: number) =>
      autocannon({
        url: service.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', apikey: APIKEY },
        body: JSON.stringify({ query }),
        connections: options.connections,
        duration: seconds,
        ...(options.rate > 0 ? { overallRate: options.rate } : {}),
      });
    await Promise.all(servers.map(({ service }) => load(service, options.warmupS)));
    const perWindow: number[][] = servers.map(() => []);
    for (let window = 0; window < options.windows; window++) {
      const before = servers.map(({ service }) => processCpuMs(service.pid));
      // Which load starts first alternates: neither server is always the one whose client leads.
      const [first, second] = window % 2 === 0 ? [ours, theirs] : [theirs, ours];
      const loads = new Map([first, second].map((service) => [service, load(service, options.windowS)]));
      const results = await Promise.all(servers.map(({ service }) => loads.get(service) as ReturnType<typeof load>));
      results.forEach((result, i) => {
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${servers[i]?.name} failed requests under load`);
        perWindow[i]?.push(((processCpuMs(servers[i]?.service.pid ?? 0) - (before[i] ?? 0)) * 1000) / result.requests.total);
      });
    }
    const [gateway = [], other = []] = perWindow;
    const ratios = gateway.map((us, window) => us / (other[window] ?? Number.NaN));
    return {
      workload: options.workload,
      ratePerServer: options.rate,
      connections: options.connections,
      windows: options.windows,
      windowS: options.windowS,
      servers: servers.map(({ name }, i) => ({ name, cpuUsPerRequestByWindow: (perWindow[i] ?? []).map((us) => round(us)) })),
      // CPU per request, gateway over the other server, in the same window.
      ratio: {
        median: round(percentile(ratios, 50), 3),
        q1: round(percentile(ratios, 25), 3),
        q3: round(percentile(ratios, 75), 3),
      },
    };
  } finally {
    await Promise.all(started.map((service) => service.stop()));
    await sandbox.stop();
  }
}
