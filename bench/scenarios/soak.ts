// Scenario "soak": sustained mixed load on the gateway process for a long time (10 minutes by
// default), watching its memory and event loop through its own /metrics. The question is whether
// anything accumulates per request (RSS keeps growing) or the event loop starts to stall.
// Light faults (1% 503s, 5–25 ms latency) keep the retry and breaker paths busy too.
import { request } from 'undici';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { setFaults } from '../lib/sandbox-control.ts';
import { percentile, round } from '../lib/stats.ts';

const APIKEY = 'sandbox-org1-key';
const READS = [
  'query SoakMobile { org(id: "org1") { orders(first: 20) { nodes { id status totalAmount { amount } shop { name } items { name quantity unitPrice { amount } } } } } }',
  'query SoakShops { org(id: "org1") { shops { id name } } }',
  'query SoakPrescriptions { org(id: "org1") { prescriptions(first: 20) { nodes { id status patientName } } } }',
  'query SoakInventory { org(id: "org1") { inventory(shopId: "shop1", first: 20) { nodes { p1Id quantity } } } }',
  'query SoakDashboard { org(id: "org1") { reports { dashboard { prescriptions { total } } } } }',
];
const SUBMIT =
  'mutation SoakSubmit($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { orderRequest { orderId } userErrors { code } } }';

export interface SoakOptions {
  durationMs: number;
  clients: number;
  sampleEveryMs: number;
}

interface Sample {
  atS: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** p99 of event-loop delay since the previous scrape (prom-client resets the histogram per scrape). */
  lagP99Ms: number;
  lagMaxMs: number;
}

export async function runSoak(options: SoakOptions) {
  const sandbox = await startSandboxProcess();
  // The response cache (bounded by RESPONSE_CACHE_MB) would show as growth up to its cap and hide the rest.
  const gateway = await startGatewayProcess(sandbox.url, { RESPONSE_CACHE_MB: '0', GRAPHIQL_ENABLED: 'false', LOG_LEVEL: 'warn' });
  const metricsUrl = gateway.url.replace(/\/graphql$/, '/metrics');
  try {
    await request(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: APIKEY },
      body: JSON.stringify({ query: READS[1] }),
    }).then((res) => res.body.dump());
    await setFaults(sandbox.url, [{ latencyMs: 5, jitterMs: 20, errorRate: 0.01 }]);
    const samples: Sample[] = [];
    const latencies: number[] = [];
    let requests = 0;
    let failures = 0;
    const started = Date.now();
    const end = started + options.durationMs;

    const sampler = (async () => {
      while (Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(options.sampleEveryMs, Math.max(0, end - Date.now()))));
        samples.push(await sample(metricsUrl, (Date.now() - started) / 1000));
      }
    })();

    await Promise.all(
      Array.from({ length: options.clients }, async (_, client) => {
        for (let i = 0; Date.now() < end; i++) {
          const write = i % 20 === 19;
          const body = write
            ? {
                query: SUBMIT,
                variables: {
                  i: {
                    orgId: 'org1',
                    shopId: 'shop1',
                    customer: { name: `Soak ${client}`, email: 'soak@example.com' },
                    items: [{ name: 'Soak item', quantity: 1, unitPrice: '1.00' }],
                  },
                },
              }
            : { query: READS[(client + i) % READS.length] };
          const t0 = performance.now();
          try {
            const res = await request(gateway.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', apikey: APIKEY },
              body: JSON.stringify(body),
            });
            const json = (await res.body.json()) as { errors?: unknown[] };
            if (res.statusCode !== 200 || json.errors) failures += 1;
          } catch {
            failures += 1;
          }
          latencies.push(performance.now() - t0);
          requests += 1;
        }
      }),
    );
    await sampler;

    // Growth is measured after a warm-up (JIT, pools, token cache, heap sizing): 10% of the run, at most a minute.
    const warmupS = Math.min(60, options.durationMs / 10_000);
    const steady = samples.filter((s) => s.atS >= warmupS);
    const last = samples.at(-1);
    const first = steady[0] ?? samples[0];
    if (!first || !last) throw new Error('the soak run took no samples');
    const lags = steady.map((s) => s.lagP99Ms);
    return {
      durationS: round((Date.now() - started) / 1000),
      clients: options.clients,
      requests,
      requestsPerSecond: round(requests / ((Date.now() - started) / 1000)),
      failedRequests: failures,
      latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
      rss: {
        afterWarmupMiB: first.rssMiB,
        endMiB: last.rssMiB,
        growthMiB: round(last.rssMiB - first.rssMiB),
        growthPercent: round(((last.rssMiB - first.rssMiB) / first.rssMiB) * 100),
        maxMiB: Math.max(...samples.map((s) => s.rssMiB)),
      },
      heapUsedMiB: { afterWarmup: first.heapUsedMiB, end: last.heapUsedMiB },
      eventLoopLag: {
        p99MedianMs: round(percentile(lags, 50), 2),
        p99WorstWindowMs: round(Math.max(...lags), 2),
        maxMs: round(Math.max(...steady.map((s) => s.lagMaxMs)), 2),
      },
      samples,
    };
  } finally {
    await gateway.stop();
    await sandbox.stop();
  }
}

async function sample(metricsUrl: string, atS: number): Promise<Sample> {
  const text = await (await request(metricsUrl)).body.text();
  const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
  return {
    atS: round(atS),
    rssMiB: round(value('process_resident_memory_bytes') / 2 ** 20),
    heapUsedMiB: round(value('nodejs_heap_size_used_bytes') / 2 ** 20),
    lagP99Ms: round(value('nodejs_eventloop_lag_p99_seconds') * 1000, 2),
    lagMaxMs: round(value('nodejs_eventloop_lag_max_seconds') * 1000, 2),
  };
}
