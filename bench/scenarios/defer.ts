// Scenario "defer" (issue 24): the mobile order list (examples/operations/NestedOrders.graphql, 20
// orders) with each order's details (lines and address, one GET /orders/{id} each) deferred,
// against the same query answered whole, at a PharmaOne latency of 300 ms on every call. Measured
// per request, alternating: the time to the first part (targets ≤ 1.15 × one PharmaOne call plus
// the gateway's own overhead on the whole answer), the time to the last part (≤ 1.05 × the whole
// answer), and the bytes the parts add. Then `@stream(initialCount: 5)` on 45 orders with details.
// "One PharmaOne call" and the floor of the whole answer are measured too, by a script calling the
// sandbox directly with the calls' best parallelism (one wave: the page ∥ the shops; two: then
// every detail at once; three: the shop's catalog), so the overhead is the gateway's own.
import { Agent } from 'undici';
import { directPharmaOne } from '../lib/direct-pharmaone.ts';
import { startGatewayProcess, startSandboxProcess } from '../lib/processes.ts';
import { clearCalls, countCalls, setFaults } from '../lib/sandbox-control.ts';
import { percentile, round } from '../lib/stats.ts';

const APIKEY = 'sandbox-org1-key';
const ACCEPT = 'multipart/mixed;incrementalSpec=v0.2,application/graphql-response+json,application/json;q=0.9';

const listFields = 'id status paymentStatus customerName createdAt totalAmount { amount currency }';
const detailFields =
  'items { name quantity unitPrice { amount } lineTotal { amount } product { category } } shippingAddress { city postalCode }';
const nested = (nodes: string) => `query NestedOrders { org(id: "org1") { shop(id: "shop1") { name
  orders(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { ${nodes} } } } } }`;
const NESTED = nested(`${listFields} ${detailFields}`);
const NESTED_DEFERRED = nested(`${listFields} ... @defer(label: "details") { ${detailFields} }`);
// The same page read from the org (filter by shop), without `shop(id:)`'s existence check before it.
const fromOrg = (nodes: string) => `query OrgOrders { org(id: "org1") {
  orders(first: 20, filter: { shopId: "shop1" }) { totalCount pageInfo { hasNextPage endCursor } nodes { ${nodes} } } } }`;
const ORG_ORDERS = fromOrg(`${listFields} ${detailFields}`);
const ORG_ORDERS_DEFERRED = fromOrg(`${listFields} ... @defer(label: "details") { ${detailFields} }`);
const streamed = (directive: string) =>
  `query Streamed { org(id: "org1") { orders(first: 45) { nodes ${directive} { id status items { name quantity } } } } }`;

interface Timing {
  firstMs: number;
  lastMs: number;
  bytes: number;
  parts: number;
}

/** One query answered whole and with its details deferred, against the floor of its PharmaOne calls. */
export interface DeferComparison {
  whole: { p50Ms: number; bytes: number; upstreamCalls: number };
  deferred: { firstPartP50Ms: number; lastPartP50Ms: number; bytes: number; parts: number; upstreamCalls: number };
  /** The same calls made directly with their best parallelism (the waves the resolvers' dependencies allow). */
  floorWholeMs: number;
  gatewayOverheadMs: number;
  /** Dependent PharmaOne waves before the first part can be sent. */
  wavesBeforeFirstPart: number;
  /** Issue 24's target: 1.15 × (one PharmaOne call + the gateway's overhead on the whole answer). */
  firstPartTargetMs: number;
  firstPartMeetsTarget: boolean;
  /** 1.05 × the whole answer. */
  lastPartTargetMs: number;
  lastPartMeetsTarget: boolean;
  bytesOverheadPercent: number;
}

export interface DeferResult {
  latencyMs: number;
  iterations: number;
  onePharmaOneCallMs: number;
  nestedOrders: DeferComparison;
  orgOrders: DeferComparison;
  stream45: {
    whole: { p50Ms: number; bytes: number };
    streamed: { firstPartP50Ms: number; lastPartP50Ms: number; bytes: number; parts: number };
  };
}

const p50 = (values: number[]) => round(percentile(values, 50));

export async function runDefer(options: { latencyMs: number; iterations: number; warmup: number }): Promise<DeferResult> {
  const sandbox = await startSandboxProcess();
  const gateway = await startGatewayProcess(sandbox.url);
  const pool = new Agent({ connections: 32 });
  try {
    await setFaults(sandbox.url, [{ latencyMs: options.latencyMs }]);
    const floor = await floorScript(sandbox.url, pool);
    const run = (query: string, accept?: string) => timedQuery(gateway.url, query, accept);
    const calls = async (query: string, accept?: string) => {
      await clearCalls(sandbox.url);
      await run(query, accept);
      return countCalls(sandbox.url);
    };
    const one: number[] = [];
    const compare = async (whole: string, deferred: string, floorWhole: () => Promise<void>, wavesBeforeFirstPart: number) => {
      for (let i = 0; i < options.warmup; i++) await Promise.all([run(whole), run(deferred, ACCEPT), floorWhole()]);
      const samples = { whole: [] as Timing[], deferred: [] as Timing[], floor: [] as number[] };
      for (let i = 0; i < options.iterations; i++) {
        // Alternate so drift on this shared machine hits every side alike.
        samples.whole.push(await run(whole));
        samples.deferred.push(await run(deferred, ACCEPT));
        samples.floor.push(await timed(floorWhole));
        one.push(await timed(floor.one));
      }
      return summarise(samples, p50(one), wavesBeforeFirstPart, { whole: await calls(whole), deferred: await calls(deferred, ACCEPT) });
    };
    const nestedOrders = await compare(NESTED, NESTED_DEFERRED, floor.nestedWhole, 1);
    const orgOrders = await compare(ORG_ORDERS, ORG_ORDERS_DEFERRED, floor.orgWhole, 1);
    const stream = { whole: [] as Timing[], streamed: [] as Timing[] };
    for (let i = 0; i < options.iterations; i++) {
      stream.whole.push(await run(streamed('')));
      stream.streamed.push(await run(streamed('@stream(initialCount: 5)'), ACCEPT));
    }
    return {
      latencyMs: options.latencyMs,
      iterations: options.iterations,
      onePharmaOneCallMs: p50(one),
      nestedOrders,
      orgOrders,
      stream45: {
        whole: { p50Ms: p50(stream.whole.map((t) => t.lastMs)), bytes: must(stream.whole[0]).bytes },
        streamed: {
          firstPartP50Ms: p50(stream.streamed.map((t) => t.firstMs)),
          lastPartP50Ms: p50(stream.streamed.map((t) => t.lastMs)),
          bytes: must(stream.streamed[0]).bytes,
          parts: Math.max(...stream.streamed.map((t) => t.parts)),
        },
      },
    };
  } finally {
    await pool.close();
    await gateway.stop();
    await sandbox.stop();
  }
}

function summarise(
  samples: { whole: Timing[]; deferred: Timing[]; floor: number[] },
  oneCallMs: number,
  wavesBeforeFirstPart: number,
  upstreamCalls: { whole: number; deferred: number },
): DeferComparison {
  const wholeMs = p50(samples.whole.map((t) => t.lastMs));
  const floorWholeMs = p50(samples.floor);
  const overhead = round(wholeMs - floorWholeMs);
  const first = p50(samples.deferred.map((t) => t.firstMs));
  const last = p50(samples.deferred.map((t) => t.lastMs));
  const wholeBytes = must(samples.whole[0]).bytes;
  const deferredBytes = must(samples.deferred[0]).bytes;
  return {
    whole: { p50Ms: wholeMs, bytes: wholeBytes, upstreamCalls: upstreamCalls.whole },
    deferred: {
      firstPartP50Ms: first,
      lastPartP50Ms: last,
      bytes: deferredBytes,
      parts: Math.max(...samples.deferred.map((t) => t.parts)),
      upstreamCalls: upstreamCalls.deferred,
    },
    floorWholeMs,
    gatewayOverheadMs: overhead,
    wavesBeforeFirstPart,
    firstPartTargetMs: round(1.15 * (oneCallMs + overhead)),
    firstPartMeetsTarget: first <= 1.15 * (oneCallMs + overhead),
    lastPartTargetMs: round(1.05 * wholeMs),
    lastPartMeetsTarget: last <= 1.05 * wholeMs,
    bytesOverheadPercent: round((100 * (deferredBytes - wholeBytes)) / wholeBytes),
  };
}

/** One request, read chunk by chunk: when the first part was complete, when the last, how many bytes and parts. */
async function timedQuery(url: string, query: string, accept = 'application/json'): Promise<Timing> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: APIKEY, accept },
    body: JSON.stringify({ query }),
  });
  if (res.status !== 200 || !res.body) throw new Error(`gateway answered ${res.status}`);
  const multipart = (res.headers.get('content-type') ?? '').startsWith('multipart/mixed');
  const decoder = new TextDecoder();
  let text = '';
  let firstMs: number | undefined;
  for await (const chunk of res.body) {
    text += decoder.decode(chunk, { stream: true });
    // A part is complete once the boundary after it arrived (the body opens with one).
    if (firstMs === undefined && (!multipart || text.split('\r\n---').length > 2)) firstMs = performance.now() - started;
  }
  const lastMs = performance.now() - started;
  if (!multipart && text.includes('"errors"')) throw new Error(`errors in the answer: ${text.slice(0, 300)}`);
  const parts = multipart ? text.split('\r\n---').length - 2 : 1;
  return { firstMs: firstMs ?? lastMs, lastMs, bytes: Buffer.byteLength(text), parts };
}

/**
 * The sandbox called directly with the best parallelism the queries' dependencies allow: one call;
 * OrgOrders' three waves (the page; every detail at once; the shop's catalog for the lines'
 * products); NestedOrders' the same three, the shop read beside the page (`shop(id:)` starts its
 * `orders` page read with its own: src/graphql/resolvers/child-reads.ts).
 */
async function floorScript(baseUrl: string, pool: Agent) {
  const get = await directPharmaOne(baseUrl, APIKEY, pool);
  const page = '/orders?limit=20&offset=0&shop_id=shop1';
  const pageDetailsCatalog = async () => {
    const { data } = (await get(page)) as { data: Array<{ id: string }> };
    await Promise.all(data.map((order) => get(`/orders/${order.id}`)));
    await get('/products?shop_id=shop1');
  };
  return {
    one: async () => {
      await get(page);
    },
    nestedWhole: async () => {
      await Promise.all([get('/shops'), pageDetailsCatalog()]);
    },
    orgWhole: pageDetailsCatalog,
  };
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('no sample');
  return value;
}
