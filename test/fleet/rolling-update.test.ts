// A rolling update under load, with real processes on loopback (issue 26): three gateway replicas
// on one redis-server behind haproxy (health-checking /readyz), the sandbox, and clients sending
// reads, keyed writes and live-feed subscriptions (graphql-ws and graphql-sse) through the
// balancer while every replica is replaced, one at a time, as Kubernetes does. The same run as
// `npm run chaos -- --rolling` (bench/lib/rolling.ts), smaller.
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from '../../bench/lib/fleet.ts';
import type { Fleet } from '../../bench/lib/fleet.ts';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { rollingViolations, runRollingUpdate } from '../../bench/lib/rolling.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { connectWs, orderInput, SUBMIT_ORDER, waitFor } from '../feed/feed-clients.ts';
import type { SubmitOrderData } from '../feed/feed-clients.ts';
import { ORG1_KEY, startStack } from '../support/gateway.ts';
import type { GraphqlBody, Sandbox, TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const ORDER_POSTS = 'POST /api/v2/public/orgs/{org}/order-requests';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('rolling update behind haproxy', () => {
  let fleet: Fleet | undefined;
  afterAll(async () => {
    await fleet?.stop();
  });

  it('replaces every replica under load with no failed request, no lost or doubled write, and every subscription resumed', async () => {
    fleet = await startFleet({ sandboxUrl: sandbox.url, replicas: 3 });
    const first = new Set(fleet.replicas.keys());
    const report = await runRollingUpdate({ ...fleet, clients: 3, writeShare: 0.3, subscribers: 6 });

    expect(rollingViolations(report)).toEqual([]);
    expect(report.replaced.map((step) => step.from).sort()).toEqual([...first].sort());
    expect(report.requests.failed).toBe(0);
    expect(report.writes.acknowledged).toBeGreaterThan(0);
    expect(report.writes).toMatchObject({ duplicates: 0, lostAcknowledged: 0, unacknowledged: 0 });
    // Each subscriber ended on every replica it was on, always saying why, and resumed elsewhere.
    expect(report.subscriptions.byTransport).toEqual({ 'graphql-ws': 3, 'graphql-sse': 3 });
    expect(report.subscriptions.resumes).toBeGreaterThanOrEqual(6);
    expect(report.subscriptions.endings).toEqual({ SHUTTING_DOWN: report.subscriptions.resumes });
    expect(report.subscriptions).toMatchObject({ unexplainedEndings: 0, lostEvents: 0, duplicateEvents: 0, duplicateCursors: 0 });
    // PharmaOne saw each order submission once, with its Idempotency-Key: no request was replayed.
    const keys = sandbox.calls.list({ route: ORDER_POSTS }).map((call) => call.idempotencyKey);
    expect(keys.every((key) => typeof key === 'string' && key.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  }, 120_000);
});

describe('a replica shutting down right after a write', () => {
  let redis: TestRedis | undefined;
  const replicas: Service[] = [];
  afterAll(async () => {
    await sandbox.faults.clear();
    for (const replica of replicas) await replica.stop();
    await redis?.stop();
  });

  it("still publishes the write's event to the other replicas' subscribers before it exits", async () => {
    redis = await startRedis();
    // One poll only (the baseline): an event missing later could not come from a poll either.
    const env = { REDIS_URL: redis.url, ORDER_FEED_POLL_MS: '3600000', GRAPHIQL_ENABLED: 'false', LOG_LEVEL: 'warn' };
    replicas.push(...(await Promise.all([startGatewayProcess(sandbox.url, env), startGatewayProcess(sandbox.url, env)])));
    const [writer, watcher] = replicas.map((replica) => replica.url);
    const connection = connectWs(must(watcher, 'the watching replica'), { apikey: ORG1_KEY });
    const watching = connection.subscribe({ orgId: 'org1' });
    try {
      // Subscribed once an order made after the subscribe arrives; one made while the subscribe was
      // still under way is not delivered, so orders are made until one is.
      const live = new Set<string>();
      const started = Date.now();
      while (!watching.events.some((event) => live.has(event.order.id))) {
        if (Date.now() - started > 30_000) throw new Error('the subscription never became live');
        live.add(await submit(must(watcher, 'the watching replica')));
        await waitFor(() => watching.events.length > 0, 'an event', 2_000).catch(() => undefined);
      }

      // The writer's event needs the order read back (GET …/orders/{id}); that read is slow now,
      // so the writer gets SIGTERM while its event is still on the way.
      sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders/{id}', latencyMs: 1_500 }]);
      const written = await submit(must(writer, 'the writing replica'));
      await must(replicas[0], 'the writer').stop();
      sandbox.faults.clear();
      await waitFor(() => watching.events.some((event) => event.order.id === written), "the write's event", 30_000);
      expect(watching.events.filter((event) => event.order.id === written).map((event) => event.type)).toEqual(['CREATED']);
    } finally {
      watching.dispose();
      await connection.dispose();
    }
  }, 90_000);
});

describe('a replica starting', () => {
  let redis: TestRedis | undefined;
  let slowLink: Server | undefined;
  let stack: TestStack | undefined;
  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => (slowLink ? slowLink.close(resolve) : resolve(undefined)));
    await redis?.stop();
  });

  it('opens its listener only once its Redis answered, so its first keyed write is not refused', async () => {
    redis = await startRedis();
    const target = redis.port;
    // Redis reached over a slow link: each connection is passed on only after 500 ms.
    const sockets = new Set<Socket>();
    slowLink = createServer((client) => {
      sockets.add(client);
      client.pause();
      const timer = setTimeout(() => {
        const upstream = connect(target, '127.0.0.1');
        sockets.add(upstream);
        upstream.on('error', () => client.destroy()).on('close', () => client.destroy());
        client.on('error', () => upstream.destroy()).on('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.resume();
      }, 500);
      client.on('close', () => clearTimeout(timer));
    });
    slowLink.on('close', () => {
      for (const socket of sockets) socket.destroy();
    });
    await new Promise<void>((resolve) => slowLink?.listen(0, '127.0.0.1', resolve));
    const port = (slowLink.address() as AddressInfo).port;

    stack = await startStack({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    const res = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: { ...orderInput(), idempotencyKey: crypto.randomUUID() } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.submitOrderRequest.orderRequest.orderId).toEqual(expect.any(String));
  });
});

async function submit(url: string): Promise<string> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
    body: JSON.stringify({ query: SUBMIT_ORDER, variables: { input: { ...orderInput(), idempotencyKey: crypto.randomUUID() } } }),
  });
  const body = (await res.body.json()) as GraphqlBody<SubmitOrderData>;
  return must(body.data?.submitOrderRequest.orderRequest.orderId, `an order (${JSON.stringify(body.errors)})`);
}
