// Run by test/architecture/memory-model.test.ts as `node --expose-gc test/support/store-heap.ts`:
// the heap each store bounded in bytes really holds when a flood fills it past its bound, beside
// what the memory model (src/memory-model.ts) declares for that bound. Each store is
// created by its own factory with a bound of 1 MiB and filled with the smallest entries a caller can
// make (the worst case: a fixed cost per entry weighs most), ten times over. A child process of its
// own, so that a full collection before each reading is possible and nothing else shares its heap.
// The feed's snapshots and resume windows are bounded in count (scopes, events): they are filled
// past their counts with the vendor's order sample and held to what the model declares there.
import { randomBytes } from 'node:crypto';
import { createProvenCredentials } from '../../src/upstream/proven-credentials.ts';
import { createMemoryFeedBus } from '../../src/feed/bus/feed-bus.ts';
import { emptySnapshot, planChanges } from '../../src/feed/changes/order-versions.ts';
import type { OrderRow, Snapshot } from '../../src/feed/changes/order-versions.ts';
import { memoryApqCache } from '../../src/graphql/plugins/persisted-queries.ts';
import { DEFAULT_IDEMPOTENCY_MAX_KEYS, DEFAULT_TOKEN_CACHE_SIZE, feedHeapBytes, MEMORY_STORES } from '../../src/memory-model.ts';
import { createTokenBroker } from '../../src/upstream/token-broker.ts';
import { createMemoryResponseCacheStore } from '../../src/stores/response-cache-store.ts';
import { createRefusalMemory, refusalError } from '../../src/upstream/token-refusals.ts';
import { createMemoryIdempotencyRecords } from '../../src/writes/idempotency-store.ts';
import { seedSample } from './seed-samples.ts';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc');
const gc = collect;
const BOUND = 2 ** 20;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const id = (i: number) => `${i.toString(36)}${randomBytes(16).toString('base64url')}`;
/** A 43-character hash, as the stores' keys are (sha256, base64url). */
const hash = () => randomBytes(32).toString('base64url');

/** Fills one store with `count` entries; returns what keeps it alive. */
const FILLS: Record<string, (count: number) => Promise<unknown>> = {
  'response cache': async (count) => {
    const store = createMemoryResponseCacheStore({ maxBytes: BOUND });
    for (let i = 0; i < count; i++) {
      const { generation } = await store.lookup(hash(), hash());
      await store.store(hash(), `{"data":{"a":"${id(i)}"}}`, generation, 60_000);
    }
    return store;
  },
  'idempotency records': async (count) => {
    const records = createMemoryIdempotencyRecords({ maxBytes: BOUND, maxEntries: DEFAULT_IDEMPOTENCY_MAX_KEYS });
    for (let i = 0; i < count; i++) {
      const slot = hash();
      const claim = await records.claim(slot, hash(), 60_000);
      if (claim.kind === 'claimed') await records.complete(slot, claim.token, `{"id":"${id(i)}"}`, 60_000);
    }
    return records;
  },
  'APQ texts': async (count) => {
    const cache = memoryApqCache(BOUND);
    for (let i = 0; i < count; i++) await cache.set(`apq:${hash()}`, `{a${id(i)}:__typename}`);
    return cache;
  },
  'token refusals': async (count) => {
    const memory = createRefusalMemory({ ttlMs: 60_000, maxBytes: BOUND, now: Date.now });
    const refused = refusalError({ status: 401 });
    for (let i = 0; i < count; i++) await memory.remember(hash(), refused);
    return memory;
  },
  // PharmaOne's tokens are JWTs of about a kilobyte: at TOKEN_CACHE_SIZE's default that many fill the bound.
  tokens: async (count) => {
    let issued = 0;
    const broker = createTokenBroker({
      exchange: async (scope) => ({
        accessToken: `eyJ${randomBytes(720).toString('base64url')}.${(issued++).toString(36)}`,
        orgId: scope.orgId,
        scopes: ['orders:read', 'orders:write', 'reports:read'],
        issuedAtMs: Date.now(),
        expiresAtMs: Date.now() + 3_600_000,
      }),
      refreshMarginMs: 60_000,
      maxEntries: DEFAULT_TOKEN_CACHE_SIZE,
      maxBytes: BOUND,
    });
    for (let i = 0; i < count; i++) await broker.getToken({ baseUrl: 'https://p1', orgId: `org${i % 50}`, apiKey: id(i) });
    return broker;
  },
  'proven credentials': async (count) => {
    const proven = createProvenCredentials({ maxBytes: BOUND });
    const exchange = proven.recording(async (scope) => ({
      accessToken: 't',
      orgId: scope.orgId,
      scopes: [],
      issuedAtMs: Date.now(),
      expiresAtMs: Date.now() + 60_000,
    }));
    for (let i = 0; i < count; i++) await exchange({ baseUrl: 'https://p1', orgId: 'org1', apiKey: id(i) });
    return proven;
  },
};

/** The feed's counts here: a few scopes, each with the default window (ORDER_FEED_RESUME_EVENTS). */
const FEED = { maxScopes: 4, maxEndedScopes: 4, resumeEvents: 1_000 };
const orderDetail = JSON.stringify(seedSample('04-order-detail.json'));
const orderSummary = JSON.stringify(seedSample<{ data: unknown[] }>('03-orders-list.json').data[0]);
let orders = 0;
/** A row as parsed from its own answer, with an id of its own. */
const orderRow = (text: string): OrderRow => ({
  ...(JSON.parse(text) as OrderRow),
  id: `ORD_20260614_${(orders++).toString(36).padStart(10, '0')}`,
});

/** A snapshot at its largest: the polled page, then as many written versions as it keeps. */
function fullSnapshot(): Snapshot {
  let snapshot = planChanges(emptySnapshot(), {
    source: 'poll',
    rows: Array.from({ length: 100 }, () => orderRow(orderSummary)),
    pageFull: true,
  }).after;
  for (let i = 0; i < 600; i++) snapshot = planChanges(snapshot, { source: 'changed', rows: [orderRow(orderSummary)] }).after;
  return snapshot;
}

/** maxScopes watched scopes, then five times maxEndedScopes that end; each commits twice its window in events. */
async function fillFeed(): Promise<unknown> {
  const bus = createMemoryFeedBus({ ...FEED, resumeWindowMs: 3_600_000 });
  const scopes = FEED.maxScopes + 5 * FEED.maxEndedScopes;
  for (let s = 0; s < scopes; s++) {
    const scope = hash();
    const unlisten = await bus.listen(scope, () => undefined);
    const snapshot = fullSnapshot();
    let stored: string | null = null;
    for (let batch = 0; batch < (2 * FEED.resumeEvents) / 100; batch++) {
      snapshot.floor = String(batch);
      const next = JSON.stringify(snapshot);
      const events = Array.from({ length: 100 }, () => ({
        type: 'STATUS_CHANGED' as const,
        order: orderRow(orderDetail),
        previousStatus: 'pending',
      }));
      if (!(await bus.commit(scope, stored, next, events))) throw new Error('a commit of the feed fill was refused');
      stored = next;
    }
    if (s >= FEED.maxScopes) await unlisten();
  }
  return bus;
}

const results: Array<{ store: string; bound: number; measured: number; declared: number }> = [];
// Every store stays alive to the end, so that no measurement sees an earlier one collected.
const alive: unknown[] = [];
for (const [store, fill] of Object.entries(FILLS)) {
  const declared = MEMORY_STORES.find((entry) => entry.name === store)?.heapBytesFor?.(BOUND);
  if (declared === undefined) throw new Error(`the memory model declares no heapBytesFor for "${store}"`);
  const before = heapUsed();
  // Far more than fits: what is measured is the bound, not the flood.
  const kept = await fill(40_000);
  const measured = heapUsed() - before;
  results.push({ store, bound: BOUND, measured, declared });
  alive.push(kept);
}
{
  const declared = feedHeapBytes(FEED);
  const before = heapUsed();
  const kept = await fillFeed();
  results.push({ store: 'feed snapshots and resume windows', bound: declared, measured: heapUsed() - before, declared });
  alive.push(kept);
}
console.log(JSON.stringify(results));
