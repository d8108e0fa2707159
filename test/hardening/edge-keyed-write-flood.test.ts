// Issue 21: 20,000 keyed writes whose idempotency keys are inline in the query text (so each is a
// distinct document too) through the sandbox, to a gateway process with the Deployment's
// NODE_OPTIONS (read from deploy/kubernetes), 32 in flight over keep-alive connections. Before,
// 6,090 of them aborted a 192 MB-heap process; now RSS, sampled throughout, stays under 430 MiB,
// /healthz answers throughout, and the first key still replays its outcome at the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { ORG1_KEY } from '../support/gateway.ts';
import type { Sandbox } from '../support/gateway.ts';
import { deploymentLimits, flood, graphql, startManifestGateway, watchProcess } from '../support/process-flood.ts';

const WRITES = 20_000;
const CONCURRENCY = 32;
const RSS_LIMIT_MIB = 430;

let sandbox: Sandbox;
let gateway: Service;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  gateway = await startManifestGateway(sandbox.url);
}, 60_000);
afterAll(async () => {
  await gateway?.kill();
  await sandbox?.close();
});

const keyedWrite = (index: number) => `mutation {
  submitOrderRequest(input: {
    orgId: "org1", shopId: "shop1", customer: { name: "Flood", email: "flood@example.com" },
    items: [{ name: "Ibuprofen 400mg", quantity: 1, unitPrice: "1.00" }], idempotencyKey: "flood-${index}"
  }) { orderRequest { id } userErrors { code } }
}`;
type Submitted = { submitOrderRequest: { orderRequest: { id: string } | null; userErrors: Array<{ code: string }> } };

describe('keyed writes with distinct inline keys', () => {
  it(`${WRITES} writes: RSS under ${RSS_LIMIT_MIB} MiB, /healthz answering, the first key replayed after`, async () => {
    const ids = new Map<number, string>();
    const watch = watchProcess(gateway.pid, gateway.url.replace(/\/graphql$/, ''));
    const sent = await flood(gateway.url, {
      count: WRITES,
      concurrency: CONCURRENCY,
      headers: { apikey: ORG1_KEY },
      body: (index) => JSON.stringify({ query: keyedWrite(index) }),
      accept(status, text, index) {
        const payload = (JSON.parse(text) as { data?: Submitted }).data?.submitOrderRequest;
        if (status !== 200 || !payload?.orderRequest || payload.userErrors.length > 0) return false;
        if (index < 3) ids.set(index, payload.orderRequest.id);
        return true;
      },
    });
    const watched = await watch.stop();
    console.log(`keyed-write flood: ${JSON.stringify(watched)}`);

    expect({ failed: sent.failed, failures: sent.failures }).toEqual({ failed: 0, failures: [] });
    expect(sent.sent).toBe(WRITES);
    expect(watched.healthzFailures).toEqual([]);
    expect(watched.healthzProbes).toBeGreaterThan(0);
    // The liveness probe as the manifest defines it would never have restarted the pod: no run of
    // failureThreshold probes in a row over its timeout (a single slow answer on a busy CI machine
    // is not a failed pod; a stalled event loop is). The largest latency is printed above.
    expect(watched.longestSlowRun).toBeLessThan(deploymentLimits().liveness.failureThreshold);
    expect(watched.maxRssMiB).toBeLessThan(RSS_LIMIT_MIB);

    // The first write's key, sent again: its recorded outcome, not a second order request.
    const firstId = ids.get(0);
    expect(firstId).toMatch(/\S/);
    sandbox.calls.clear();
    const replay = await graphql<Submitted>(gateway.url, ORG1_KEY, keyedWrite(0));
    expect(replay.data?.submitOrderRequest.orderRequest?.id).toBe(firstId);
    expect(sandbox.calls.list().filter((call) => call.method === 'POST')).toEqual([]);
  }, 180_000);
});
