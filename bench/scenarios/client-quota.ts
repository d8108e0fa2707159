// Scenario "client-quota" (issue 27): what one client's flood does to a quiet client of the same
// org. One sandbox process, one redis-server, one gateway process with REDIS_URL and a client quota
// (QUOTA_CLIENT_CALLS per minute; the quiet client has an override it never reaches). The quiet
// client sends `orders(first: 10)` one at a time: alone, then beside a flooder sending the same
// query at BENCH_FLOOD_RPS on several connections (refused at its quota, 429, after the first
// minute's worth), then alone again (drift). Reported: the quiet client's p50/p95 per phase and the
// ratio beside/alone, the flooder's answers by status, and the 429s PharmaOne (the sandbox) sent.
import { request } from 'undici';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { startRedis } from '../lib/redis-server.ts';
import { percentile, round } from '../lib/stats.ts';

const APIKEY = 'sandbox-org1-key';
const ORDERS = 'query BenchOrders { org(id: "org1") { orders(first: 10) { nodes { id status totalAmount { amount } } } } }';

export interface ClientQuotaOptions {
  iterations: number;
  floodRps: number;
  clientCalls: number;
}

async function send(url: string, client: string): Promise<number> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: APIKEY, 'graphql-client-name': client },
    body: JSON.stringify({ query: ORDERS }),
  });
  await res.body.dump();
  return res.statusCode;
}

async function quietPhase(url: string, iterations: number): Promise<{ p50Ms: number; p95Ms: number; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    if ((await send(url, 'quiet')) !== 200) failed++;
    ms.push(performance.now() - started);
  }
  return { p50Ms: round(percentile(ms, 50), 2), p95Ms: round(percentile(ms, 95), 2), failed };
}

/** Sends at `rps` (on up to 8 requests in flight) until stopped; counts the answers by status. */
function startFlood(url: string, rps: number) {
  const statuses: Record<string, number> = {};
  let inFlight = 0;
  const timer = setInterval(
    () => {
      if (inFlight >= 8) return;
      inFlight++;
      void send(url, 'flooder')
        .then((status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        })
        .catch(() => {
          statuses.error = (statuses.error ?? 0) + 1;
        })
        .finally(() => inFlight--);
    },
    Math.max(1, Math.round(1000 / rps)),
  );
  return {
    async stop() {
      clearInterval(timer);
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      return statuses;
    },
  };
}

export async function runClientQuota(options: ClientQuotaOptions) {
  const sandbox = await startSandboxProcess();
  const redis = await startRedis();
  const gateway = await startGatewayProcess(sandbox.url, {
    LOG_LEVEL: 'warn',
    GRAPHIQL_ENABLED: 'false',
    RESPONSE_CACHE_MB: '0',
    REDIS_URL: redis.url,
    QUOTA_CLIENT_CALLS: String(options.clientCalls),
    QUOTA_WINDOW_SECONDS: '60',
    QUOTA_CLIENT_OVERRIDES: 'quiet=1000000',
  });
  try {
    for (let i = 0; i < 50; i++) await send(gateway.url, 'quiet');
    const alone = await quietPhase(gateway.url, options.iterations);
    const flood = startFlood(gateway.url, options.floodRps);
    // The flooder spends its quota first; the quiet client is measured beside a refused flood.
    for (let i = 0; i < 50; i++) await send(gateway.url, 'quiet');
    const beside = await quietPhase(gateway.url, options.iterations);
    const flooder = await flood.stop();
    const aloneAgain = await quietPhase(gateway.url, options.iterations);
    const callLog = (await (await request(`${sandbox.url}/_sandbox/calls`)).body.json()) as { data: Array<{ status: unknown }> };
    return {
      iterations: options.iterations,
      floodRps: options.floodRps,
      clientCalls: options.clientCalls,
      alone,
      beside,
      aloneAgain,
      ratioP95: round(beside.p95Ms / Math.max(alone.p95Ms, aloneAgain.p95Ms), 2),
      flooder,
      upstream429s: callLog.data.filter((call) => call.status === 429).length,
    };
  } finally {
    await gateway.stop();
    await sandbox.stop();
    await redis.stop();
  }
}
