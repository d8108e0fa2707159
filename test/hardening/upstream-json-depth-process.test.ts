// Issue 21: deep PharmaOne answers cost a gateway process O(bytes) with a small constant. A gateway
// with the Deployment's NODE_OPTIONS (read from deploy/kubernetes) reads `/orders` answers nested
// 10⁵, 10⁶ and 4·10⁶ levels deep (0.2, 2 and 8 MB, under the 8 MiB body cap) from a sandbox in
// this process. Each is refused as `invalid_response`; the gateway's own event-loop delay
// (perf_hooks.monitorEventLoopDelay, which prom-client reports on /metrics as
// nodejs_eventloop_lag_max_seconds since the previous scrape) stays under 200 ms; its RSS grows by
// less than 50 MB; /healthz answers throughout. Before the scan, 8 MB of such arrays blocked the
// loop for more than 3 s and added ≈ 400 MB.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { ORG1_KEY } from '../support/gateway.ts';
import type { Sandbox } from '../support/gateway.ts';
import { graphql, rssMiB, startManifestGateway, watchProcess } from '../support/process-flood.ts';

const ORDERS_ROUTE = 'GET /api/v2/public/orgs/{org}/orders';
const LOOP_DELAY_MAX_MS = 200;
const RSS_GROWTH_MAX_MIB = 50;
const ORDERS = '{ org(id: "org1") { id orders(first: 1) { nodes { id } } } }';

let sandbox: Sandbox;
let gateway: Service;
let origin: string;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  gateway = await startManifestGateway(sandbox.url);
  origin = gateway.url.replace(/\/graphql$/, '');
  // Token, pool and code paths warm: what is measured is the deep answer alone.
  expect((await graphql(gateway.url, ORG1_KEY, ORDERS)).errors).toBeUndefined();
}, 60_000);
afterAll(async () => {
  await gateway?.kill();
  await sandbox?.close();
});

/** The gateway's largest event-loop delay since the previous call, in ms (each scrape starts a new window). */
async function loopDelayMaxMs(): Promise<number> {
  const text = await (await request(`${origin}/metrics`)).body.text();
  const seconds = text.match(/^nodejs_eventloop_lag_max_seconds (\S+)$/m)?.[1];
  if (seconds === undefined) throw new Error('the gateway’s /metrics has no nodejs_eventloop_lag_max_seconds');
  return Number(seconds) * 1000;
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('a deeply nested answer read by a gateway process', () => {
  it.each([
    ['10⁵ levels (0.2 MB)', 100_000],
    ['10⁶ levels (2 MB)', 1_000_000],
    ['4·10⁶ levels (8 MB)', 4_000_000],
  ])(
    '%s: invalid_response, loop delay under 200 ms, RSS growth under 50 MB',
    async (_, depth) => {
      sandbox.faults.set([
        { route: ORDERS_ROUTE, respond: { body: `{"data":${nested(depth)},"pagination":{"limit":20,"offset":0,"total":1}}` } },
      ]);
      try {
        await loopDelayMaxMs();
        const rssBefore = rssMiB(gateway.pid);
        const watch = watchProcess(gateway.pid, origin);
        const res = await graphql<{ org: { id: string } }>(gateway.url, ORG1_KEY, ORDERS);
        const loopDelayMs = await loopDelayMaxMs();
        const watched = await watch.stop();
        console.log(`depth ${depth}: ${JSON.stringify({ loopDelayMs, rssGrowthMiB: watched.maxRssMiB - rssBefore, ...watched })}`);

        expect(res.errors).toEqual([
          expect.objectContaining({ extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' }) }),
        ]);
        expect(res.data?.org.id).toBe('org1');
        expect(watched.healthzFailures).toEqual([]);
        expect(loopDelayMs).toBeLessThan(LOOP_DELAY_MAX_MS);
        expect(watched.maxRssMiB - rssBefore).toBeLessThan(RSS_GROWTH_MAX_MIB);
      } finally {
        sandbox.faults.clear();
      }
    },
    60_000,
  );
});
