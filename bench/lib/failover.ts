// Redis failover under keyed-write load (issue 26): gateway replicas keep their idempotency
// records on a primary + replicas + Sentinel group behind a stable endpoint
// (bench/lib/redis-failover.ts); clients submit orders under idempotency keys, retrying each with
// the same key until it is acknowledged, and the primary is SIGKILLed mid-run. Judged on: keyed
// writes resume within 10 s, no key makes two orders, no acknowledged order is missing, and each
// replica's /readyz and /metrics tell the connection was lost and is back.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { ordersByKey, send, until } from './graph-client.ts';
import type { RedisGroup } from './redis-failover.ts';

const PREFIX = 'Failover ';
const SUBMIT = `mutation FailoverSubmit($i: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $i) { orderRequest { orderId } userErrors { code } }
}`;
/** Each key is retried until acknowledged, for at most this long. */
const KEY_DEADLINE_MS = 60_000;

export interface FailoverOptions {
  /** Each replica's GraphQL URL; clients take turns. */
  gatewayUrls: string[];
  group: RedisGroup;
  sandboxUrl: string;
  clients: number;
  /** Acknowledged writes before the kill, and again after the promotion, before the run ends. */
  acknowledgedBefore: number;
  acknowledgedAfter: number;
}

export interface FailoverReport {
  /** Kill to Sentinel's promotion as the endpoint saw it. */
  promotedMs: number;
  /** Kill to the first acknowledgement of a key first tried after the kill: how long keyed writes were down. */
  writesResumedMs: number;
  /**
   * The longest any key waited from its first attempt to its acknowledgement. A key caught mid-write
   * by the kill waits for its claim's lease (IDEMPOTENCY_LEASE_MS) to run out: IDEMPOTENCY_KEY_IN_USE till then.
   */
  longestKeyWaitMs: number;
  writes: {
    keys: number;
    acknowledged: number;
    /** Keys not acknowledged by their deadline. */
    unacknowledged: number;
    attempts: number;
    /** Refused attempts by error code (all retryable), each retried with the same key. */
    refused: Record<string, number>;
    duplicates: number;
    lostAcknowledged: number;
    /** Keys PharmaOne received more than once (a lost or released record; its Idempotency-Key answered the resend). */
    resentToPharmaOne: number;
  };
  /** What each replica's /readyz says of the idempotency connection afterwards. */
  readiness: Array<{ reachable: boolean; disconnects: number }>;
  /** pharmaone_idempotency_requests_total{result="unavailable"} summed over the replicas. */
  unavailableCounted: number;
}

export async function runFailover(options: FailoverOptions): Promise<FailoverReport> {
  const { gatewayUrls, group } = options;
  let turn = 0;
  const acknowledged = new Map<string, string>();
  const refused: Record<string, number> = {};
  let attempts = 0;
  let unacknowledged = 0;
  let killedAt: number | undefined;
  let resumedAt: number | undefined;
  let longestKeyWaitMs = 0;
  let ackAfterPromotion = 0;
  let promotedAt: number | undefined;
  let running = true;

  const write = async () => {
    const key = randomUUID();
    const input = {
      orgId: 'org1',
      shopId: 'shop1',
      customer: { name: `${PREFIX}${key}`, email: 'failover@example.com' },
      items: [{ name: 'Failover item', quantity: 1, unitPrice: '1.00' }],
      via: 'V2_JWT',
      idempotencyKey: key,
    };
    const firstTry = Date.now();
    const deadline = firstTry + KEY_DEADLINE_MS;
    while (Date.now() < deadline) {
      attempts += 1;
      const url = gatewayUrls[turn++ % gatewayUrls.length] ?? '';
      const res = await send<{ submitOrderRequest: { orderRequest: { orderId: string } | null; userErrors: Array<{ code: string }> } }>(
        url,
        SUBMIT,
        { i: input },
      );
      const orderId = res.ok ? res.data.submitOrderRequest.orderRequest?.orderId : undefined;
      if (orderId) {
        acknowledged.set(key, orderId);
        const now = Date.now();
        longestKeyWaitMs = Math.max(longestKeyWaitMs, now - firstTry);
        if (killedAt !== undefined && firstTry > killedAt) resumedAt ??= now;
        if (promotedAt !== undefined) ackAfterPromotion += 1;
        return;
      }
      const codes = res.ok ? res.data.submitOrderRequest.userErrors.map((error) => error.code).join(',') : '';
      const kind = res.ok ? `userErrors ${codes}` : res.kind;
      refused[kind] = (refused[kind] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    unacknowledged += 1;
  };
  const load = Array.from({ length: options.clients }, async () => {
    while (running) await write();
  });
  // The resume figure is "kill → first acknowledged write of a key begun after the kill". Every
  // client above may be caught mid-write by the kill and then wait out its key's claim (the lease,
  // IDEMPOTENCY_LEASE_MS, 10 s) before it begins another key: with few clients that measured the
  // lease, not the store coming back. One more writer begins its first key once the primary is dead.
  const startAfterKill = async () => {
    while (running) await write();
  };

  let promotedMs = 0;
  try {
    await until(async () => acknowledged.size >= options.acknowledgedBefore, 60_000, 'the writes before the kill');
    killedAt = Date.now();
    const from = await group.killPrimary();
    load.push(startAfterKill());
    await group.waitForPromotion(from);
    promotedAt = Date.now();
    promotedMs = promotedAt - killedAt;
    await until(async () => ackAfterPromotion >= options.acknowledgedAfter, 60_000, 'the writes after the promotion');
  } finally {
    running = false;
    await Promise.all(load);
  }

  const byKey = await ordersByKey(gatewayUrls[0] ?? '', PREFIX);
  let duplicates = 0;
  for (const ids of byKey.values()) if (ids.length > 1) duplicates += 1;
  let lostAcknowledged = 0;
  for (const [key, orderId] of acknowledged) if (!byKey.get(key)?.includes(orderId)) lostAcknowledged += 1;

  return {
    promotedMs,
    writesResumedMs: (resumedAt ?? Date.now()) - (killedAt ?? 0),
    longestKeyWaitMs,
    writes: {
      keys: acknowledged.size + unacknowledged,
      acknowledged: acknowledged.size,
      unacknowledged,
      attempts,
      refused,
      duplicates,
      lostAcknowledged,
      resentToPharmaOne: await resentKeys(options.sandboxUrl),
    },
    readiness: await Promise.all(gatewayUrls.map(idempotencyReadiness)),
    unavailableCounted: (await Promise.all(gatewayUrls.map(unavailableCount))).reduce((sum, count) => sum + count, 0),
  };
}

/** What the run promises; each broken promise is one line. */
export function failoverViolations(report: FailoverReport): string[] {
  const violations: string[] = [];
  if (report.writesResumedMs > 10_000) violations.push(`keyed writes resumed after ${report.writesResumedMs} ms (more than 10 s)`);
  if (report.writes.duplicates > 0) violations.push(`${report.writes.duplicates} idempotency keys made more than one order`);
  if (report.writes.lostAcknowledged > 0) violations.push(`${report.writes.lostAcknowledged} acknowledged orders are missing`);
  if (report.writes.unacknowledged > 0) violations.push(`${report.writes.unacknowledged} keys were never acknowledged`);
  for (const [index, state] of report.readiness.entries()) {
    if (!state.reachable) violations.push(`replica ${index} does not reach the new primary`);
  }
  return violations;
}

/**
 * Idempotency-Keys PharmaOne received more than once on order submissions (the sandbox's call log;
 * the gateway sends one derived key per caller key, so one per order).
 */
async function resentKeys(sandboxUrl: string): Promise<number> {
  const res = await request(`${sandboxUrl}/_sandbox/calls`);
  const { data } = (await res.body.json()) as { data: Array<{ route: string | null; idempotencyKey: string | null }> };
  const sent = new Map<string, number>();
  for (const call of data) {
    if (call.route !== 'POST /api/v2/public/orgs/{org}/order-requests' || !call.idempotencyKey) continue;
    sent.set(call.idempotencyKey, (sent.get(call.idempotencyKey) ?? 0) + 1);
  }
  return [...sent.values()].filter((count) => count > 1).length;
}

async function idempotencyReadiness(graphqlUrl: string): Promise<{ reachable: boolean; disconnects: number }> {
  const res = await request(graphqlUrl.replace(/\/graphql$/, '/readyz'));
  const body = (await res.body.json()) as { stores?: { redis?: Array<{ store: string; reachable: boolean; disconnects: number }> } };
  const state = body.stores?.redis?.find((connection) => connection.store === 'idempotency');
  return { reachable: state?.reachable ?? false, disconnects: state?.disconnects ?? 0 };
}

async function unavailableCount(graphqlUrl: string): Promise<number> {
  const res = await request(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  const text = await res.body.text();
  return Number(text.match(/^pharmaone_idempotency_requests_total\{result="unavailable"\} (\d+)/m)?.[1] ?? 0);
}
