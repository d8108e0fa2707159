// The chaos run: concurrent clients for a fixed time against a gateway whose sandbox answers 5%
// of calls with 503, 1% with a connection reset and every call 20–200 ms late. Clients mix reads
// with keyed order submissions, retrying a write with the same idempotencyKey until it is
// acknowledged. Afterwards the sandbox's orders are read back through the graph (faults off) and
// the gateway's /metrics are read: no key may have two orders, every acknowledged order must
// exist, reads may fail at most 0.5%, and retries must stay inside the retry budget.
// Everything goes over HTTP, so the same run works in-process (tests) and against processes.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { setFaults } from './sandbox-control.ts';
import { percentile, round } from './stats.ts';

export interface ChaosOptions {
  /** The gateway's GraphQL URL. */
  gatewayUrl: string;
  /**
   * Fleet mode: every replica's GraphQL URL (gatewayUrl among them). Clients spread requests over
   * them round-robin; a refused connection (a replica that is down) moves on to the next one, as
   * a load balancer's connect-failure retry does. Reads back and metrics use every replica.
   */
  gatewayUrls?: string[];
  /** Things that happen during the run (a replica killed, Redis restarted), each at its time from the start. */
  events?: Array<{ atMs: number; name: string; run: () => Promise<void> }>;
  /** Upstream counters of replicas that are gone (scraped before they died), added to the totals. */
  lostCounters?: () => UpstreamCounters;
  sandboxUrl: string;
  durationMs: number;
  clients: number;
  /** Share of operations that are order submissions, e.g. 0.2. */
  writeShare: number;
  /** The gateway's retry budget (to check the retries against), as configured. */
  retryBudget: { ratio: number; minRetriesPerWindow: number; windowMs: number };
}

export interface ChaosReport {
  durationMs: number;
  clients: number;
  reads: { total: number; failed: number; errorRate: number; p50Ms: number; p99Ms: number; failures: Record<string, number> };
  writes: {
    keys: number;
    acknowledged: number;
    /** Keys given up on after the client's attempts (not acknowledged; may or may not exist). */
    unacknowledged: number;
    /** Mutation requests sent, retries with the same key included. */
    requests: number;
    /** Keys with more than one order in the sandbox. */
    duplicates: number;
    /** Acknowledged orders missing from the sandbox. */
    lostAcknowledged: number;
    /** Answers other than success or a retryable failure (should be none). */
    rejected: number;
  };
  upstream: { attempts: number; retries: number; retryRatio: number; retryAllowance: number; budgetExhausted: number };
  /** Fleet mode: the events as they happened, with their time from the start. */
  events?: Array<{ name: string; atMs: number; tookMs: number }>;
}

export interface UpstreamCounters {
  attempts: number;
  retries: number;
  budgetExhausted: number;
}

export const CHAOS_FAULTS = (() => {
  const noise = { latencyMs: 20, jitterMs: 180, errorRate: 0.05, errorStatus: 503, resetRate: 0.01 };
  return [
    // §6 writes fail after the order was made (the client does not learn of it), §7 before.
    { route: 'POST /api/v2/public/orgs/{org}/order-requests', ...noise, when: 'after' },
    { route: 'POST /api/v1/public/orgs/{org}/order-requests', ...noise, when: 'before' },
    noise,
  ];
})();

const READS: readonly [string, ...string[]] = [
  'query ChaosShops { org(id: "org1") { shops { id name } } }',
  'query ChaosOrders { org(id: "org1") { orders(first: 5) { nodes { id status totalAmount { amount } shop { name } } } } }',
  'query ChaosOrderItems { org(id: "org1") { orders(first: 3) { nodes { id items { name quantity } } } } }',
  'query ChaosPrescriptions { org(id: "org1") { prescriptions(first: 5) { nodes { id status } } } }',
  'query ChaosDashboard { org(id: "org1") { reports { dashboard { prescriptions { total } } } } }',
];

const SUBMIT = `mutation ChaosSubmit($i: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $i) { orderRequest { orderId } userErrors { code } }
}`;

const APIKEY = 'sandbox-org1-key';
const MAX_WRITE_ATTEMPTS = 10;
const RETRYABLE_WRITE_CODES = new Set(['OUTCOME_UNKNOWN', 'UPSTREAM_UNAVAILABLE']);

interface GraphqlBody<TData> {
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: { code?: string; reason?: string; upstreamStatus?: number } }>;
}

async function gql<TData = unknown>(
  url: string | (() => string),
  query: string,
  variables?: unknown,
): Promise<{ status: number; body: GraphqlBody<TData> }> {
  // A function picks the replica: a refused connection (replica down) tries the next, at most once round.
  const pick = typeof url === 'function' ? url : () => url;
  const tries = typeof url === 'function' ? 4 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await request(pick(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: APIKEY },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: JSON.parse(text) };
    } catch (error) {
      if ((error as { code?: string }).code !== 'ECONNREFUSED' || attempt >= tries) throw error;
    }
  }
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const replicas = options.gatewayUrls ?? [options.gatewayUrl];
  let turn = 0;
  const nextReplica = () => replicas[turn++ % replicas.length] ?? options.gatewayUrl;
  const target = replicas.length > 1 ? nextReplica : options.gatewayUrl;
  // Tokens and connections first, so the run measures steady state, not the first exchange.
  for (const url of replicas) await gql(url, READS[0]);
  const before = await scrapeAll(replicas);
  await setFaults(options.sandboxUrl, CHAOS_FAULTS);

  const readMs: number[] = [];
  let readFailures = 0;
  const failureKinds: Record<string, number> = {};
  const failed = (kind: string) => {
    readFailures += 1;
    failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
  };
  const acknowledged = new Map<string, string>();
  const unacknowledged = new Set<string>();
  let writeRequests = 0;
  let rejected = 0;

  async function read(): Promise<void> {
    const query = READS[Math.floor(Math.random() * READS.length)] ?? READS[0];
    const started = performance.now();
    try {
      const res = await gql(target, query);
      const error = res.body.errors?.[0]?.extensions;
      if (res.status !== 200 || error) failed([res.status, error?.code, error?.reason ?? error?.upstreamStatus].filter(Boolean).join(' '));
    } catch (error) {
      failed(`transport ${(error as { code?: string }).code ?? 'error'}`);
    }
    readMs.push(performance.now() - started);
  }

  async function write(): Promise<void> {
    const key = randomUUID();
    const via = Math.random() < 0.5 ? 'V2_JWT' : 'V1_APIKEY';
    const input = {
      orgId: 'org1',
      shopId: 'shop1',
      customer: { name: `Chaos ${key}`, email: 'chaos@example.com' },
      items: [{ name: 'Chaos item', quantity: 1, unitPrice: '1.00' }],
      via,
      idempotencyKey: key,
    };
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      writeRequests += 1;
      let retry = true;
      try {
        const res = await gql<{
          submitOrderRequest: { orderRequest: { orderId: string | null } | null; userErrors: Array<{ code: string }> } | null;
        }>(target, SUBMIT, { i: input });
        const payload = res.body.data?.submitOrderRequest;
        const codes = payload?.userErrors.map((error) => error.code) ?? [];
        if (payload?.orderRequest?.orderId && codes.length === 0) {
          acknowledged.set(key, payload.orderRequest.orderId);
          return;
        }
        // A top-level error (e.g. the shop check failed) or a retryable userError: same key again.
        retry = codes.length === 0 || codes.every((code) => RETRYABLE_WRITE_CODES.has(code));
      } catch {
        retry = true;
      }
      if (!retry) {
        rejected += 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
    unacknowledged.add(key);
  }

  const started = Date.now();
  const end = started + options.durationMs;
  const happened: Array<{ name: string; atMs: number; tookMs: number }> = [];
  const events = (options.events ?? []).map(async (event) => {
    await new Promise((resolve) => setTimeout(resolve, event.atMs));
    const at = Date.now();
    await event.run();
    happened.push({ name: event.name, atMs: at - started, tookMs: Date.now() - at });
  });
  await Promise.all([
    ...events,
    ...Array.from({ length: options.clients }, async () => {
      while (Date.now() < end) await (Math.random() < options.writeShare ? write() : read());
    }),
  ]);
  const elapsedMs = Date.now() - started;

  await setFaults(options.sandboxUrl, []);
  const lost = options.lostCounters?.() ?? { attempts: 0, retries: 0, budgetExhausted: 0 };
  const now = await scrapeAll(replicas);
  const after = {
    attempts: now.attempts + lost.attempts,
    retries: now.retries + lost.retries,
    budgetExhausted: now.budgetExhausted + lost.budgetExhausted,
  };
  const ordersByKey = await chaosOrders(replicas[0] ?? options.gatewayUrl);

  let duplicates = 0;
  for (const ids of ordersByKey.values()) if (ids.length > 1) duplicates += 1;
  let lostAcknowledged = 0;
  for (const [key, orderId] of acknowledged) if (!ordersByKey.get(key)?.includes(orderId)) lostAcknowledged += 1;

  const attempts = after.attempts - before.attempts;
  const retries = after.retries - before.retries;
  const firstAttempts = attempts - retries;
  const windows = Math.ceil(elapsedMs / options.retryBudget.windowMs);
  return {
    durationMs: elapsedMs,
    clients: options.clients,
    reads: {
      total: readMs.length,
      failed: readFailures,
      errorRate: readMs.length ? round(readFailures / readMs.length, 5) : 0,
      p50Ms: round(percentile(readMs, 50)),
      p99Ms: round(percentile(readMs, 99)),
      failures: failureKinds,
    },
    writes: {
      keys: acknowledged.size + unacknowledged.size + rejected,
      acknowledged: acknowledged.size,
      unacknowledged: unacknowledged.size,
      requests: writeRequests,
      duplicates,
      lostAcknowledged,
      rejected,
    },
    upstream: {
      attempts,
      retries,
      retryRatio: firstAttempts > 0 ? round(retries / firstAttempts, 3) : 0,
      // Each replica has its own budget (docs/operations.md: retry budgets stay per replica); a restarted one starts afresh.
      retryAllowance: Math.floor(
        options.retryBudget.ratio * firstAttempts +
          options.retryBudget.minRetriesPerWindow *
            windows *
            (replicas.length + happened.filter((event) => event.name.includes('replica')).length),
      ),
      budgetExhausted: after.budgetExhausted - before.budgetExhausted,
    },
    ...(options.events && { events: happened }),
  };
}

/** What the run promises; each broken promise is one line. */
export function chaosViolations(report: ChaosReport): string[] {
  const violations: string[] = [];
  if (report.writes.duplicates > 0) violations.push(`${report.writes.duplicates} idempotency keys made more than one order`);
  if (report.writes.lostAcknowledged > 0) violations.push(`${report.writes.lostAcknowledged} acknowledged orders are missing`);
  if (report.writes.rejected > 0) violations.push(`${report.writes.rejected} writes were rejected outright`);
  if (report.reads.errorRate > 0.005) violations.push(`read error rate ${report.reads.errorRate} exceeds 0.5%`);
  if (report.upstream.retries > report.upstream.retryAllowance) {
    violations.push(`${report.upstream.retries} retries exceed the budget's ${report.upstream.retryAllowance}`);
  }
  return violations;
}

/** The sandbox's chaos orders by idempotency key (the key is in the customer name), via the graph. */
interface OrderPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<{ id: string; customerName: string | null }>;
}

async function chaosOrders(gatewayUrl: string): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  let after: string | null = null;
  for (;;) {
    const res: { body: GraphqlBody<{ org: { orders: OrderPage } | null }> } = await gql(
      gatewayUrl,
      'query ChaosReadBack($after: String) { org(id: "org1") { orders(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id customerName } } } }',
      { after },
    );
    const page = res.body.data?.org?.orders;
    if (!page) throw new Error(`reading the orders back failed: ${JSON.stringify(res.body.errors)}`);
    for (const order of page.nodes) {
      const key = order.customerName?.startsWith('Chaos ') ? order.customerName.slice('Chaos '.length) : undefined;
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), order.id]);
    }
    if (!page.pageInfo.hasNextPage) return byKey;
    after = page.pageInfo.endCursor;
  }
}

async function scrapeAll(gatewayUrls: string[]): Promise<UpstreamCounters> {
  const each = await Promise.all(gatewayUrls.map(scrape));
  return {
    attempts: each.reduce((total, counters) => total + counters.attempts, 0),
    retries: each.reduce((total, counters) => total + counters.retries, 0),
    budgetExhausted: each.reduce((total, counters) => total + counters.budgetExhausted, 0),
  };
}

/** Upstream attempts, retries and budget refusals so far, from the gateway's /metrics. */
export async function scrape(gatewayUrl: string): Promise<UpstreamCounters> {
  const res = await request(gatewayUrl.replace(/\/graphql$/, '/metrics'));
  const text = await res.body.text();
  return {
    attempts: sum(text, 'pharmaone_upstream_request_duration_seconds_count'),
    retries: sum(text, 'pharmaone_upstream_retries_total'),
    budgetExhausted: sum(text, 'pharmaone_upstream_retry_budget_exhausted_total'),
  };
}

function sum(text: string, metric: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
