// Scenario "nested fan-out": the mobile query (20 orders with items, money and shop name) through
// the gateway, against the floor: the same REST calls made by a hand-written undici script with
// maximal parallelism (list ∥ shops, then the 20 details at once) and a pre-fetched token.
// Both run side by side in one process, alternating, at each sandbox latency.
import { Agent, request } from 'undici';
import { directPharmaOne } from '../lib/direct-pharmaone.ts';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { clearCalls, countCalls, setFaults } from '../lib/sandbox-control.ts';
import { percentile, round } from '../lib/stats.ts';

const MOBILE_QUERY = `query Mobile { org(id: "org1") { orders(first: 20) { nodes {
  id status totalAmount { amount } shop { name }
  items { name quantity unitPrice { amount } lineTotal { amount } } } } } }`;
const APIKEY = 'sandbox-org1-key';

export interface FanOutResult {
  latencyMs: number;
  iterations: number;
  gateway: { p50: number; p95: number; upstreamCallsPerQuery: number };
  floor: { p50: number; p95: number; upstreamCallsPerQuery: number };
  ratioP50: number;
  ratioP95: number;
}

export async function runNestedFanOut(options: { latencies: number[]; iterations: number; warmup: number }): Promise<FanOutResult[]> {
  const sandbox = await startSandboxProcess();
  const gateway = await startGatewayProcess(sandbox.url);
  const floorPool = new Agent({ connections: 32 });
  try {
    const gatewayQuery = async () => {
      const res = await request(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: APIKEY },
        body: JSON.stringify({ query: MOBILE_QUERY }),
      });
      const body = (await res.body.json()) as { errors?: unknown[] };
      if (res.statusCode !== 200 || body.errors) throw new Error(`gateway answered ${res.statusCode}: ${JSON.stringify(body.errors)}`);
    };
    const floorQuery = await floorScript(sandbox.url, floorPool);

    const results: FanOutResult[] = [];
    for (const latencyMs of options.latencies) {
      await setFaults(sandbox.url, latencyMs > 0 ? [{ latencyMs }] : []);
      for (let i = 0; i < options.warmup; i++) {
        await gatewayQuery();
        await floorQuery();
      }
      const gatewayMs: number[] = [];
      const floorMs: number[] = [];
      for (let i = 0; i < options.iterations; i++) {
        // Alternate so drift on this noisy machine hits both sides alike.
        gatewayMs.push(await timed(gatewayQuery));
        floorMs.push(await timed(floorQuery));
      }
      await clearCalls(sandbox.url);
      await gatewayQuery();
      const gatewayCalls = await countCalls(sandbox.url);
      await clearCalls(sandbox.url);
      await floorQuery();
      const floorCalls = await countCalls(sandbox.url);

      const gateway50 = percentile(gatewayMs, 50);
      const floor50 = percentile(floorMs, 50);
      results.push({
        latencyMs,
        iterations: options.iterations,
        gateway: { p50: round(gateway50), p95: round(percentile(gatewayMs, 95)), upstreamCallsPerQuery: gatewayCalls },
        floor: { p50: round(floor50), p95: round(percentile(floorMs, 95)), upstreamCallsPerQuery: floorCalls },
        ratioP50: round(gateway50 / floor50, 2),
        ratioP95: round(percentile(gatewayMs, 95) / percentile(floorMs, 95), 2),
      });
    }
    return results;
  } finally {
    await floorPool.close();
    await gateway.stop();
    await sandbox.stop();
  }
}

/** The optimal client for the mobile query: what the gateway's REST fan-out is measured against. */
async function floorScript(baseUrl: string, pool: Agent): Promise<() => Promise<void>> {
  const get = await directPharmaOne(baseUrl, APIKEY, pool);
  return async () => {
    const [orders] = await Promise.all([get('/orders?limit=20&offset=0'), get('/shops')]);
    const { data } = orders as { data: Array<{ id: string }> };
    await Promise.all(data.map((order) => get(`/orders/${order.id}`)));
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
