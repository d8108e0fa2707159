// The rolling update under load (issue 26): clients send reads and keyed order submissions
// through the load balancer while live-feed subscribers (half graphql-ws, half graphql-sse) watch
// org1's orders, and the replicas are replaced one at a time the way Kubernetes does it (a new one
// starts and becomes ready, then an old one gets SIGTERM: readiness 503, the balancer takes it out,
// its subscriptions complete with SHUTTING_DOWN, requests in flight finish, it exits).
// Judged on: no failed HTTP request at all, every acknowledged order exactly once at PharmaOne
// (the sandbox), and every subscriber saw every order's CREATED event exactly once across its
// resumes, every ended subscription having said why.
import { randomUUID } from 'node:crypto';
import type { Balancer } from './haproxy.ts';
import type { Service } from './processes.ts';
import { resumingSubscriber } from './resuming-feed.ts';
import type { ResumingSubscriber } from './resuming-feed.ts';
import { ORG1_APIKEY, ordersByKey, send, until } from './graph-client.ts';
import type { Sent } from './graph-client.ts';
import { percentile, round } from './stats.ts';

const PREFIX = 'Rolling ';
const READS: readonly [string, ...string[]] = [
  'query RollingShops { org(id: "org1") { shops { id name } } }',
  'query RollingOrders { org(id: "org1") { orders(first: 5) { nodes { id status shop { name } } } } }',
  'query RollingPrescriptions { org(id: "org1") { prescriptions(first: 5) { nodes { id status } } } }',
];
const SUBMIT = `mutation RollingSubmit($i: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $i) { orderRequest { orderId } userErrors { code } }
}`;

export interface RollingOptions {
  balancer: Balancer;
  /** The running replicas by slot (port); the roll replaces each once. */
  replicas: Map<number, Service>;
  /** Starts a replica listening on `port`. */
  startReplica(port: number): Promise<Service>;
  clients: number;
  /** Share of operations that are order submissions. */
  writeShare: number;
  subscribers: number;
  /** How many times the whole fleet is replaced (default 1). */
  rounds?: number;
  /** How long each subscriber may take to see the last order after the load stopped. */
  settleTimeoutMs?: number;
}

export interface RollingReport {
  durationMs: number;
  replaced: Array<{ from: number; to: number; readyMs: number; drainMs: number }>;
  requests: { total: number; failed: number; failures: Record<string, number>; p50Ms: number; p99Ms: number };
  writes: { acknowledged: number; duplicates: number; lostAcknowledged: number; unacknowledged: number };
  subscriptions: {
    subscribers: number;
    byTransport: Record<string, number>;
    resumes: number;
    endings: Record<string, number>;
    unexplainedEndings: number;
    expectedEvents: number;
    lostEvents: number;
    /** Orders whose CREATED event came twice (under two cursors, or the same one). */
    duplicateEvents: number;
    /** Cursors delivered twice to one subscriber (a resume replaying what it had). */
    duplicateCursors: number;
    failures: string[];
  };
}

type Submitted = { submitOrderRequest: { orderRequest: { orderId: string } | null; userErrors: Array<{ code: string }> } };

async function submit(url: string, key: string): Promise<Sent<Submitted>> {
  const input = {
    orgId: 'org1',
    shopId: 'shop1',
    customer: { name: `${PREFIX}${key}`, email: 'rolling@example.com' },
    items: [{ name: 'Rolling item', quantity: 1, unitPrice: '1.00' }],
    via: 'V2_JWT',
    idempotencyKey: key,
  };
  return send(url, SUBMIT, { i: input });
}

export async function runRollingUpdate(options: RollingOptions): Promise<RollingReport> {
  const { balancer } = options;
  const url = balancer.url;
  const subscribers: ResumingSubscriber[] = [];
  for (let index = 0; index < options.subscribers; index++) {
    subscribers.push(resumingSubscriber(url, ORG1_APIKEY, index % 2 === 0 ? 'graphql-ws' : 'graphql-sse'));
  }
  try {
    await untilLive(url, subscribers);

    const started = Date.now();
    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    const acknowledged = new Map<string, string>();
    const unacknowledged = new Set<string>();
    let rolling = true;
    const record = (kind: string) => (failures[kind] = (failures[kind] ?? 0) + 1);

    const client = async () => {
      while (rolling) {
        const began = performance.now();
        if (Math.random() < options.writeShare) {
          const key = randomUUID();
          const res = await submit(url, key);
          const orderId = res.ok ? res.data.submitOrderRequest.orderRequest?.orderId : undefined;
          if (orderId) acknowledged.set(key, orderId);
          else {
            unacknowledged.add(key);
            record(res.ok ? `userErrors ${res.data.submitOrderRequest.userErrors.map((error) => error.code).join(',')}` : res.kind);
          }
        } else {
          const res = await send(url, READS[Math.floor(Math.random() * READS.length)] ?? READS[0]);
          if (!res.ok) record(res.kind);
        }
        latencies.push(performance.now() - began);
      }
    };
    const load = Array.from({ length: options.clients }, client);
    let replaced: RollingReport['replaced'] = [];
    try {
      replaced = await rollReplicas(options);
    } finally {
      rolling = false;
      await Promise.all(load);
    }
    const durationMs = Date.now() - started;

    // The last order: once every subscriber has it, everything before it has been delivered.
    const last = await submit(url, randomUUID());
    const lastId = last.ok ? last.data.submitOrderRequest.orderRequest?.orderId : undefined;
    if (!lastId) throw new Error('the closing order was refused');
    await until(
      async () => subscribers.every((sub) => sub.created.includes(lastId)),
      options.settleTimeoutMs ?? 20_000,
      'every subscriber to see the closing order',
    ).catch(() => undefined);

    const byKey = await ordersByKey(url, PREFIX);
    let duplicates = 0;
    for (const ids of byKey.values()) if (ids.length > 1) duplicates += 1;
    let lostAcknowledged = 0;
    for (const [key, orderId] of acknowledged) if (!byKey.get(key)?.includes(orderId)) lostAcknowledged += 1;

    const expected = [...acknowledged.values(), lastId];
    return {
      durationMs,
      replaced,
      requests: {
        total: latencies.length,
        failed: Object.values(failures).reduce((sum, count) => sum + count, 0),
        failures,
        p50Ms: round(percentile(latencies, 50)),
        p99Ms: round(percentile(latencies, 99)),
      },
      writes: { acknowledged: acknowledged.size, duplicates, lostAcknowledged, unacknowledged: unacknowledged.size },
      subscriptions: summarize(subscribers, expected),
    };
  } finally {
    for (const sub of subscribers) sub.close();
  }
}

/**
 * Every subscriber is live once it has seen an order made after it subscribed: marker orders are
 * made until each has seen one (a subscribe still under way misses the earlier ones).
 */
async function untilLive(url: string, subscribers: ResumingSubscriber[]): Promise<void> {
  const markers = new Set<string>();
  await until(
    async () => {
      const made = await submit(url, randomUUID());
      if (made.ok && made.data.submitOrderRequest.orderRequest) markers.add(made.data.submitOrderRequest.orderRequest.orderId);
      return subscribers.every((sub) => sub.created.some((id) => markers.has(id)));
    },
    30_000,
    'every subscriber to see a marker order',
  );
}

/** What the subscribers saw against the orders each should have seen once. */
function summarize(subscribers: ResumingSubscriber[], expected: string[]): RollingReport['subscriptions'] {
  let lostEvents = 0;
  let duplicateEvents = 0;
  let duplicateCursors = 0;
  const endings: Record<string, number> = {};
  for (const sub of subscribers) {
    const seen = new Set(sub.created);
    lostEvents += expected.filter((id) => !seen.has(id)).length;
    duplicateEvents += sub.created.length - seen.size;
    duplicateCursors += sub.cursors.length - new Set(sub.cursors).size;
    for (const [code, count] of Object.entries(sub.endings)) endings[code] = (endings[code] ?? 0) + count;
  }
  return {
    subscribers: subscribers.length,
    byTransport: countBy(subscribers.map((sub) => sub.transport)),
    resumes: subscribers.reduce((sum, sub) => sum + sub.legs - 1, 0),
    endings,
    unexplainedEndings: subscribers.reduce((sum, sub) => sum + sub.unexplainedEndings, 0),
    expectedEvents: expected.length * subscribers.length,
    lostEvents,
    duplicateEvents,
    duplicateCursors,
    failures: subscribers.flatMap((sub) => sub.failures).slice(0, 10),
  };
}

/**
 * Replaces every replica once, one at a time, as a Deployment with maxSurge 1 and maxUnavailable
 * 0 does: the new replica starts on a free slot and must be UP in the balancer before an old one
 * gets SIGTERM; the old one's exit frees its slot for the next.
 */
async function rollReplicas(options: RollingOptions): Promise<RollingReport['replaced']> {
  const { balancer, replicas } = options;
  const replaced: RollingReport['replaced'] = [];
  const steps = (options.rounds ?? 1) * replicas.size;
  for (let step = 0; step < steps; step++) {
    // The oldest replica goes next (a Map keeps insertion order; a new replica is inserted last).
    const from = must([...replicas.keys()][0]);
    const to = balancer.slots.find((slot) => !replicas.has(slot));
    const old = replicas.get(from);
    if (to === undefined || !old) throw new Error('the balancer needs one free slot for the surge replica');
    const began = Date.now();
    replicas.set(to, await options.startReplica(to));
    await balancer.waitFor(to, 'UP');
    const ready = Date.now();
    await old.stop();
    replicas.delete(from);
    await balancer.waitFor(from, 'DOWN');
    replaced.push({ from, to, readyMs: ready - began, drainMs: Date.now() - ready });
  }
  return replaced;
}

/** What a run promises; each broken promise is one line. */
export function rollingViolations(report: RollingReport): string[] {
  const violations: string[] = [];
  const { requests, writes, subscriptions } = report;
  if (requests.failed > 0) violations.push(`${requests.failed} HTTP requests failed: ${JSON.stringify(requests.failures)}`);
  if (writes.duplicates > 0) violations.push(`${writes.duplicates} idempotency keys made more than one order`);
  if (writes.lostAcknowledged > 0) violations.push(`${writes.lostAcknowledged} acknowledged orders are missing`);
  if (subscriptions.unexplainedEndings > 0) violations.push(`${subscriptions.unexplainedEndings} subscriptions ended without a reason`);
  if (subscriptions.lostEvents > 0) violations.push(`${subscriptions.lostEvents} events were not delivered`);
  if (subscriptions.duplicateEvents > 0) violations.push(`${subscriptions.duplicateEvents} orders' CREATED events were delivered twice`);
  if (subscriptions.duplicateCursors > 0) violations.push(`${subscriptions.duplicateCursors} events were delivered twice under one cursor`);
  if (subscriptions.resumes === 0) violations.push('no subscription was resumed: the roll stopped no replica that served one');
  return violations;
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('no replica left to replace');
  return value;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
