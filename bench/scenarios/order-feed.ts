// Scenario "order-feed": the live order feed with 1, 100 and 1,000 subscribers of one org (one
// credential, so one scope). Per subscriber count: PharmaOne calls per minute and gateway CPU per
// minute (utime + stime of the gateway process from /proc) while changes happen at a steady rate,
// half at PharmaOne directly (seen by the poll), half through gateway mutations (published at
// once); event latency from the change's answer to its arrival at the first subscriber. Changes
// come at jittered times; each kind has its own orders (a poll sees an order's state, not each step).
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import { request } from 'undici';
import WebSocket from 'ws';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { clearCalls } from '../lib/sandbox-control.ts';
import { percentile, round } from '../lib/stats.ts';
import { processCpuMs } from '../lib/cpu.ts';

const APIKEY = 'sandbox-org1-key';
const PER_CONNECTION = 25;
const SUBSCRIPTION = `subscription Board { orderEvents(orgId: "org1") { type cursor order { id status } } }`;
const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) { submitOrderRequest(input: $input) { orderRequest { orderId } } }`;
const STATUS = `mutation Status($input: UpdateOrderStatusInput!) { updateOrderStatus(input: $input) { userErrors { code } } }`;
const NEXT: Record<string, string> = { pending: 'awaiting_packing', awaiting_packing: 'packed', packed: 'shipped', shipped: 'completed' };

export interface OrderFeedResult {
  subscribers: number;
  seconds: number;
  pollMs: number;
  changes: { direct: number; viaGateway: number };
  eventsDelivered: number;
  upstreamCallsPerMinute: { total: number; listOrders: number; other: number };
  gatewayCpuMsPerMinute: number;
  latencyMs: { direct: { p50: number; p95: number }; viaGateway: { p50: number; p95: number } };
}

export async function runOrderFeed(options: {
  counts: number[];
  durationMs: number;
  pollMs: number;
  changeEveryMs: number;
}): Promise<OrderFeedResult[]> {
  const sandbox = await startSandboxProcess();
  const gateway = await startGatewayProcess(sandbox.url, {
    ORDER_FEED_POLL_MS: String(options.pollMs),
    LOG_LEVEL: 'warn',
    GRAPHIQL_ENABLED: 'false',
  });
  const results: OrderFeedResult[] = [];
  try {
    for (const count of options.counts) results.push(await measure(sandbox.url, gateway, count, options));
  } finally {
    await gateway.stop();
    await sandbox.stop();
  }
  return results;
}

async function measure(
  sandboxUrl: string,
  gateway: { url: string; pid: number },
  count: number,
  options: { durationMs: number; pollMs: number; changeEveryMs: number },
): Promise<OrderFeedResult> {
  const changesNeeded = Math.ceil(options.durationMs / options.changeEveryMs) + 2;
  // Separate orders for the two kinds of change: a poll sees an order's state, not every step of it.
  const pool = () => Promise.all(Array.from({ length: Math.ceil(changesNeeded / 8) + 1 }, () => newOrder(gateway.url)));
  const pools = { direct: await pool(), viaGateway: await pool() };
  const status = new Map([...pools.direct, ...pools.viaGateway].map((id) => [id, 'pending']));

  // Subscribers; the first one times arrivals.
  const arrivals = new Map<string, number>();
  let delivered = 0;
  const clients: Client[] = [];
  for (let i = 0; i < count; i += PER_CONNECTION) {
    clients.push(
      createClient({
        url: gateway.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { apikey: APIKEY },
        retryAttempts: 0,
      }),
    );
  }
  let subscribed = 0;
  for (let i = 0; i < count; i++) {
    const first = i === 0;
    const client = clients[Math.floor(i / PER_CONNECTION)];
    if (!client) throw new Error(`order-feed bench: no connection opened for subscriber ${i}`);
    client.subscribe(
      { query: SUBSCRIPTION },
      {
        next: (result) => {
          delivered++;
          const event = (result.data as { orderEvents?: { order: { id: string; status: string } } } | undefined)?.orderEvents;
          if (first && event) arrivals.set(`${event.order.id} ${event.order.status}`, performance.now());
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    subscribed++;
  }
  // Let every subscription land and the poller take its baseline.
  await sleep(Math.max(2_000, options.pollMs * 2) + count * 2);
  delivered = 0;
  await clearCalls(sandboxUrl);
  const cpuBefore = processCpuMs(gateway.pid);
  const started = performance.now();

  const changedAt = { direct: new Map<string, number>(), viaGateway: new Map<string, number>() };
  let n = 0;
  while (performance.now() - started < options.durationMs) {
    // Jittered, so changes fall at every phase of the poll interval rather than locked to one.
    const next = performance.now() + options.changeEveryMs * (0.5 + Math.random());
    const direct = n++ % 2 === 0;
    const change = nextChange(direct ? pools.direct : pools.viaGateway, status);
    if (!change) break;
    const { orderId, to } = change;
    status.set(orderId, to);
    const key = `${orderId} ${to.toUpperCase()}`;
    if (direct) {
      await changeDirectly(sandboxUrl, orderId, to);
      changedAt.direct.set(key, performance.now());
    } else {
      const before = performance.now();
      await gql(gateway.url, STATUS, { input: { orgId: 'org1', orderId, status: to.toUpperCase() } });
      changedAt.viaGateway.set(key, before);
    }
    await sleep(Math.max(0, next - performance.now()));
  }
  // The last direct change needs up to one more poll.
  await sleep(options.pollMs + 500);
  const seconds = (performance.now() - started) / 1000;
  const cpu = processCpuMs(gateway.pid) - cpuBefore;
  const calls = await sandboxCalls(sandboxUrl);
  for (const client of clients) await client.dispose();
  await sleep(500);

  const latencies = (changes: Map<string, number>) =>
    [...changes].flatMap(([key, at]) => {
      const arrived = arrivals.get(key);
      return arrived === undefined ? [] : [arrived - at];
    });
  const direct = latencies(changedAt.direct);
  const viaGateway = latencies(changedAt.viaGateway);
  const perMinute = (value: number) => round((value / seconds) * 60);
  const listOrders = calls.filter((call) => call.route === 'GET /api/v2/public/orgs/{org}/orders').length;
  // The bench's own calls (direct PATCHes and their token exchanges, the gateway mutations' PATCHes) are not the feed's.
  const benchOwn = calls.filter((call) => call.method === 'PATCH' || call.route === 'POST /api/v2/public/orgs/{org}/auth/token').length;
  return {
    subscribers: subscribed,
    seconds: round(seconds),
    pollMs: options.pollMs,
    changes: { direct: changedAt.direct.size, viaGateway: changedAt.viaGateway.size },
    eventsDelivered: delivered,
    upstreamCallsPerMinute: {
      total: perMinute(calls.length),
      listOrders: perMinute(listOrders),
      other: perMinute(calls.length - listOrders - benchOwn),
    },
    gatewayCpuMsPerMinute: perMinute(cpu),
    latencyMs: {
      direct: { p50: round(percentile(direct, 50)), p95: round(percentile(direct, 95)) },
      viaGateway: { p50: round(percentile(viaGateway, 50)), p95: round(percentile(viaGateway, 95)) },
    },
  };
}

/** The first order of a pool that has a status to move on to, and that status; null when all are done. */
function nextChange(pool: string[], status: Map<string, string>): { orderId: string; to: string } | null {
  for (const orderId of pool) {
    const current = status.get(orderId);
    const to = current === undefined ? undefined : NEXT[current];
    if (to) return { orderId, to };
  }
  return null;
}

async function sandboxCalls(sandboxUrl: string): Promise<Array<{ method: string; route: string | null }>> {
  const res = await request(`${sandboxUrl}/_sandbox/calls`);
  return ((await res.body.json()) as { data: Array<{ method: string; route: string | null }> }).data;
}

async function gql<TData>(url: string, query: string, variables: Record<string, unknown>): Promise<{ data: TData }> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: APIKEY },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.body.json()) as { data: TData };
}

async function newOrder(url: string): Promise<string> {
  const input = {
    orgId: 'org1',
    shopId: 'shop1',
    customer: { name: 'Bench', email: 'bench@example.com' },
    items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
  };
  const res = await gql<{ submitOrderRequest: { orderRequest: { orderId: string } } }>(url, SUBMIT, { input });
  return res.data.submitOrderRequest.orderRequest.orderId;
}

let directToken: string | undefined;
async function changeDirectly(sandboxUrl: string, orderId: string, status: string): Promise<void> {
  const base = `${sandboxUrl}/api/v2/public/orgs/org1`;
  if (!directToken) {
    const res = await request(`${base}/auth/token`, { method: 'POST', headers: { apikey: APIKEY } });
    directToken = ((await res.body.json()) as { access_token: string }).access_token;
  }
  const res = await request(`${base}/orders/${orderId}/status`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${directToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  await res.body.dump();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
