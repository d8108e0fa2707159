// Two gateway replicas (real child processes) on one real redis-server, subscribers on both:
// one poller in the fleet (a lease in Redis), events to every replica over pub/sub, and when the
// poller's replica is SIGKILLed the other takes over within two intervals with no event lost or
// doubled for the survivors. SIGTERM then completes the survivors' subscriptions cleanly.
import { createClient } from 'redis';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { dataOf, ORG1_KEY } from '../support/gateway.ts';
import type { GraphqlBody, GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import {
  changeStatusInSandbox,
  connectWs,
  listCalls,
  orderInput,
  subscribeSse,
  SUBMIT_ORDER,
  UPDATE_STATUS,
  waitFor,
} from './feed-clients.ts';
import type { Received, SubmitOrderData } from './feed-clients.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const POLL_MS = 300;
let redis: TestRedis;
let sandbox: Sandbox;
let replicas: Service[] = [];

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0 });
  const env = { REDIS_URL: redis.url, ORDER_FEED_POLL_MS: String(POLL_MS), GRAPHIQL_ENABLED: 'false', LOG_LEVEL: 'warn' };
  replicas = await Promise.all([startGatewayProcess(sandbox.url, env), startGatewayProcess(sandbox.url, env)]);
});
afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await sandbox.close();
  await redis.stop();
});

/** One GraphQL POST to a replica; `TData` is the shape the query selects. */
async function gql<TData = unknown>(url: string, query: string, variables: Record<string, unknown>): Promise<GraphqlResponse<TData>> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as GraphqlBody<TData> };
}

async function leaseHolders(): Promise<string[]> {
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    const leaseKeys = await client.keys('pharmaone-graph:feed:*:lease');
    return (await Promise.all(leaseKeys.map((key) => client.get(key)))).filter((holder): holder is string => holder !== null);
  } finally {
    await client.close();
  }
}

/** The lease is renewed twice per interval; a busy machine may be read between two renewals. */
async function currentHolders(): Promise<string[]> {
  let holders: string[] = [];
  for (let attempt = 0; attempt < 20 && holders.length === 0; attempt++) {
    holders = await leaseHolders();
    if (holders.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return holders;
}

function summary(received: Received) {
  return received.events.map((event) => `${event.order.id} ${event.type} ${event.order.status}`);
}

it('runs one poller in the fleet, fans events out to both replicas, and survives the poller replica SIGKILLed', async () => {
  const [a, b] = replicas as [Service, Service];
  const onA = [
    connectWs(a.url, { apikey: ORG1_KEY }).subscribe({ orgId: 'org1' }),
    subscribeSse(a.url, { apikey: ORG1_KEY }, { orgId: 'org1' }),
  ];
  const onB = [
    connectWs(b.url, { apikey: ORG1_KEY }).subscribe({ orgId: 'org1' }),
    subscribeSse(b.url, { apikey: ORG1_KEY }, { orgId: 'org1' }),
  ];
  await waitFor(() => listCalls(sandbox).length >= 3, 'the first polls');

  // One poller at a fixed rate: its polls start at least an interval apart, so ten of them span at
  // least nine intervals, less how much later the first reached the sandbox than the last (500 ms
  // allowed for a busy machine). Two pollers would fit twice as many into the same span.
  const windowStart = must(sandbox.calls.list().at(-1), 'a call in the sandbox log').seq;
  await waitFor(() => listCalls(sandbox, 'org1', windowStart).length >= 10, 'ten polls');
  const arrivals = listCalls(sandbox, 'org1', windowStart)
    .slice(0, 10)
    .map((call) => Date.parse(call.at));
  expect(must(arrivals.at(-1), 'the tenth poll') - must(arrivals[0], 'the first poll')).toBeGreaterThanOrEqual(9 * POLL_MS - 500);
  const holders = await currentHolders();
  expect(holders).toHaveLength(1);
  const holderPid = Number(must(holders[0], 'the lease holder').split('/')[1]);
  expect([a.pid, b.pid]).toContain(holderPid);
  const [holder, survivor, survivors] = holderPid === a.pid ? [a, b, onB] : [b, a, onA];

  // Before the kill: a write through the survivor reaches every subscriber on both replicas.
  const submit = async () =>
    dataOf(await gql<SubmitOrderData>(survivor.url, SUBMIT_ORDER, { input: orderInput() })).submitOrderRequest.orderRequest.orderId;
  const [o1, o2, o3] = await Promise.all([submit(), submit(), submit()]);
  await waitFor(() => [...onA, ...onB].every((s) => s.events.length === 3), 'the CREATED events everywhere');

  process.kill(holder.pid, 'SIGKILL');
  const killedAt = Date.now();
  // During the gap: one change at PharmaOne directly (only a poll can see it), one through the survivor.
  await changeStatusInSandbox(sandbox, 'org1', ORG1_KEY, o1, 'awaiting_packing');
  await gql(survivor.url, UPDATE_STATUS, { input: { orgId: 'org1', orderId: o2, status: 'CANCELLED' } });
  const afterKill = must(sandbox.calls.list().at(-1), 'the calls of the gap').seq;
  await waitFor(() => survivors.every((s) => s.events.length === 5), 'the events of the gap');
  const firstPollAfter = must(listCalls(sandbox, 'org1', afterKill)[0], 'a poll after the kill');
  // Two intervals, plus an allowance for a busy machine's scheduling.
  expect(Date.parse(firstPollAfter.at) - killedAt).toBeLessThanOrEqual(2 * POLL_MS + 300);

  // After the takeover: a direct change again.
  await changeStatusInSandbox(sandbox, 'org1', ORG1_KEY, o3, 'cancelled');
  await waitFor(() => survivors.every((s) => s.events.length === 6), 'the event after the takeover');
  await new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));

  for (const subscriber of survivors) {
    expect(subscriber.errors).toEqual([]);
    expect(summary(subscriber).slice(0, 3).sort()).toEqual(
      [`${o1} CREATED PENDING`, `${o2} CREATED PENDING`, `${o3} CREATED PENDING`].sort(),
    );
    expect(summary(subscriber).slice(3, 5).sort()).toEqual(
      [`${o1} STATUS_CHANGED AWAITING_PACKING`, `${o2} STATUS_CHANGED CANCELLED`].sort(),
    );
    expect(summary(subscriber).slice(5)).toEqual([`${o3} STATUS_CHANGED CANCELLED`]);
  }
  expect(await currentHolders()).toEqual([expect.stringContaining(`/${survivor.pid}/`)]);

  // The event log is the fleet's: a cursor handed out before the kill resumes on the survivor.
  const connection = connectWs(survivor.url, { apikey: ORG1_KEY });
  const watcher = must(survivors[0], 'a subscriber on the survivor');
  const resumed = connection.subscribe({ orgId: 'org1', after: must(watcher.events[2], 'the last event before the kill').cursor });
  await waitFor(() => resumed.events.length === 3, 'the resumed events');
  expect(summary(resumed)).toEqual(summary(watcher).slice(3));
  expect(resumed.events.map((event) => event.cursor)).toEqual(watcher.events.slice(3).map((event) => event.cursor));

  // SIGTERM: the survivor completes its subscriptions before it exits.
  await survivor.stop();
  await waitFor(() => [...survivors, resumed].every((s) => s.completed), 'the completions');
  for (const subscriber of [...survivors, resumed]) expect(subscriber.failure).toBeUndefined();
  replicas = [];
});
