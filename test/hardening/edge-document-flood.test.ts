// Issue 21: a replica survives any input inside its own Kubernetes limits. A gateway process with
// the Deployment's NODE_OPTIONS (read from deploy/kubernetes) gets 50,000 distinct query texts
// (30 aliased `__typename` each, answered without PharmaOne), once with a key nobody proved and
// once with a sandbox key proven by a read first, 32 in flight over keep-alive connections. Its
// RSS, sampled throughout, stays under 430 MiB (inside the 512Mi limit); /healthz answers
// throughout (its slowest answer is printed and bounded generously: this is liveness, not speed);
// and a normal query still works at the end.
import { afterEach, describe, expect, it } from 'vitest';
import { distinctQuery } from '../../bench/lib/document-flood.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { ORG1_KEY } from '../support/gateway.ts';
import type { Sandbox } from '../support/gateway.ts';
import { deploymentLimits, flood, graphql, startManifestGateway, watchProcess } from '../support/process-flood.ts';

const TEXTS = 50_000;
const CONCURRENCY = 32;
const RSS_LIMIT_MIB = 430;

let sandbox: Sandbox | undefined;
let gateway: Service | undefined;
afterEach(async () => {
  await gateway?.kill();
  await sandbox?.close();
});

describe.each([
  ['a key nobody proved', 'garbage'],
  ['a valid sandbox key', ORG1_KEY],
])('%s', (_, apikey) => {
  it(`${TEXTS} distinct texts: RSS under ${RSS_LIMIT_MIB} MiB, /healthz answering, a normal query served after`, async () => {
    sandbox = await startSandbox({ port: 0 });
    gateway = await startManifestGateway(sandbox.url);
    const origin = gateway.url.replace(/\/graphql$/, '');
    const shops = '{ org(id: "org1") { shops { id } } }';
    // The valid key is proven first, as a client's first read does: its texts fill the proven callers' caches.
    if (apikey !== 'garbage') expect((await graphql(gateway.url, apikey, shops)).status).toBe(200);

    const watch = watchProcess(gateway.pid, origin);
    const sent = await flood(gateway.url, {
      count: TEXTS,
      concurrency: CONCURRENCY,
      headers: { apikey },
      body: (index) => JSON.stringify({ query: distinctQuery(index) }),
      accept: (status, text) => status === 200 && text.startsWith('{"data":{"d') && !text.includes('"errors"'),
    });
    const watched = await watch.stop();
    console.log(`document flood (${apikey === 'garbage' ? 'garbage key' : 'proven key'}): ${JSON.stringify(watched)}`);

    expect({ failed: sent.failed, failures: sent.failures }).toEqual({ failed: 0, failures: [] });
    expect(sent.sent).toBe(TEXTS);
    expect(watched.healthzFailures).toEqual([]);
    expect(watched.healthzProbes).toBeGreaterThan(0);
    // The liveness probe as the manifest defines it would never have restarted the pod: no run of
    // failureThreshold probes in a row over its timeout (a single slow answer on a busy CI machine
    // is not a failed pod; a stalled event loop is). The largest latency is printed above.
    expect(watched.longestSlowRun).toBeLessThan(deploymentLimits().liveness.failureThreshold);
    expect(watched.maxRssMiB).toBeLessThan(RSS_LIMIT_MIB);

    const after = await graphql<{ org: { shops: Array<{ id: string }> } }>(gateway.url, ORG1_KEY, shops);
    expect(after.data?.org.shops.map((shop) => shop.id)).toEqual(['shop1', 'shop2']);
  }, 180_000);
});
