// Scenario "entities": a router's entity fetch of 20 orders (`_entities` with 20 Order references,
// FEDERATION_SUBGRAPH=true) against the same 20 orders through `orders(first: 20)`, same fields
// (summary, items with money, shop name). Both go through the loaders; the page adds its list
// call and round trip, the references need the detail per order either way. Alternating, one
// gateway process, at each sandbox latency.
import { request } from 'undici';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { clearCalls, countCalls, setFaults } from '../lib/sandbox-control.ts';
import { percentile, round } from '../lib/stats.ts';

const ORDER_FIELDS = 'id status totalAmount { amount } shop { name } items { name quantity unitPrice { amount } lineTotal { amount } }';
const PAGE_QUERY = `query Page { org(id: "org1") { orders(first: 20) { nodes { ${ORDER_FIELDS} } } } }`;
const ENTITIES_QUERY = `query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Order { ${ORDER_FIELDS} } } }`;
const APIKEY = 'sandbox-org1-key';

export interface EntitiesResult {
  latencyMs: number;
  iterations: number;
  entities: { p50: number; p95: number; upstreamCallsPerQuery: number; detailCallsPerQuery: number };
  page: { p50: number; p95: number; upstreamCallsPerQuery: number; detailCallsPerQuery: number };
  ratioP50: number;
  ratioP95: number;
}

export async function runEntities(options: { latencies: number[]; iterations: number; warmup: number }): Promise<EntitiesResult[]> {
  const sandbox = await startSandboxProcess();
  const gateway = await startGatewayProcess(sandbox.url, { FEDERATION_SUBGRAPH: 'true', RESPONSE_CACHE_MB: '0', LOG_LEVEL: 'warn' });
  try {
    const send = async (query: string, variables?: Record<string, unknown>) => {
      const res = await request(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: APIKEY },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as { data?: unknown; errors?: unknown[] };
      if (res.statusCode !== 200 || body.errors) throw new Error(`gateway answered ${res.statusCode}: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const page = (await send(PAGE_QUERY)) as { org: { orders: { nodes: Array<{ id: string }> } } };
    const representations = page.org.orders.nodes.map((order) => ({ __typename: 'Order', orgId: 'org1', id: order.id }));
    if (representations.length !== 20) throw new Error(`expected 20 orders, got ${representations.length}`);
    const pageQuery = () => send(PAGE_QUERY);
    const entitiesQuery = () => send(ENTITIES_QUERY, { r: representations });

    const results: EntitiesResult[] = [];
    for (const latencyMs of options.latencies) {
      await setFaults(sandbox.url, latencyMs > 0 ? [{ latencyMs }] : []);
      for (let i = 0; i < options.warmup; i++) {
        await entitiesQuery();
        await pageQuery();
      }
      const entitiesMs: number[] = [];
      const pageMs: number[] = [];
      for (let i = 0; i < options.iterations; i++) {
        entitiesMs.push(await timed(entitiesQuery));
        pageMs.push(await timed(pageQuery));
      }
      const entitiesCalls = await callsOf(sandbox.url, entitiesQuery);
      const pageCalls = await callsOf(sandbox.url, pageQuery);
      const [e50, p50] = [percentile(entitiesMs, 50), percentile(pageMs, 50)];
      const [e95, p95] = [percentile(entitiesMs, 95), percentile(pageMs, 95)];
      results.push({
        latencyMs,
        iterations: options.iterations,
        entities: { p50: round(e50), p95: round(e95), ...entitiesCalls },
        page: { p50: round(p50), p95: round(p95), ...pageCalls },
        ratioP50: round(e50 / p50, 2),
        ratioP95: round(e95 / p95, 2),
      });
    }
    return results;
  } finally {
    await gateway.stop();
    await sandbox.stop();
  }
}

/** The PharmaOne calls one run makes (the org's token is cached by then), and how many are order details. */
async function callsOf(sandboxUrl: string, run: () => Promise<unknown>) {
  await clearCalls(sandboxUrl);
  await run();
  const upstreamCallsPerQuery = await countCalls(sandboxUrl);
  const res = await request(`${sandboxUrl}/_sandbox/calls`);
  const { data } = (await res.body.json()) as { data: Array<{ route: string | null }> };
  const detailCallsPerQuery = data.filter((call) => call.route === 'GET /api/v2/public/orgs/{org}/orders/{id}').length;
  return { upstreamCallsPerQuery, detailCallsPerQuery };
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}
