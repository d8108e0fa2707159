// The memory model (issue 21): every store that outlives a request and is keyed by something a
// caller or PharmaOne controls, with the heap it may hold, the variable that sets it, and how the
// bound is held. The table "Memory model" in docs/performance.md is this list (test/architecture/memory-model.test.ts
// compares them, and checks that the defaults with the process's baseline fit deploy/kubernetes
// with 20 % to spare). That test also scans src/ for every Map, Set and LRU cache that lives longer
// than a call: each is one of the `sites` here or bounded by construction (listed there, with why).
//
// `heapBytes` is the heap the store may hold at a configuration, measured, not its count of string
// lengths: byte-bounded stores count each entry at what it costs in heap (fixed costs per entry
// included), and test/support/store-heap.ts fills each past its bound and checks the heap it
// really keeps against `heapBytesFor`. Count-bounded stores are declared at their count times the
// largest entry a caller can make. With REDIS_URL, the stores marked `redis` live in Redis instead
// (bounded by its maxmemory); their in-memory figure here is the worst case.
import type { GatewayConfig } from './config.ts';
import type { FeedSettings } from './feed/settings.ts';
import { MAX_WAITING_BYTES } from './logging/stdout-lines.ts';

export interface MemoryStore {
  name: string;
  /** What picks its keys: the hostile input that would grow it without the bound. */
  keyedBy: string;
  /** The variable that sets the bound; undefined: fixed in code. */
  env: string | undefined;
  /** The heap it may hold at `config` (bytes). */
  heapBytes(config: GatewayConfig): number;
  /** For byte-bounded stores: the heap held at a bound of `bytes` (test/support/store-heap.ts measures it). */
  heapBytesFor?(bytes: number): number;
  /** How the bound is held. */
  bound: string;
  /** `file › function › variable` of each Map, Set or LRU cache that holds it. */
  sites: readonly string[];
  /**
   * Count-bounded with a measured cost per entry: test/support/store-heap.ts fills it past its
   * counts and checks the heap it keeps against `heapBytes`.
   */
  measuredByCount?: true;
  /** Moves to Redis with REDIS_URL (then this replica holds none of it). */
  redis?: true;
}

const MiB = 2 ** 20;
/** The heap a gateway holds after start-up and a first request, collected (bench/RESULTS.md: 34.7–35.6 MiB), rounded up. */
export const BASELINE_HEAP_BYTES = 40 * MiB;
/** IDEMPOTENCY_MAX_KEYS' default (src/config.ts). */
export const DEFAULT_IDEMPOTENCY_MAX_KEYS = 100_000;
/** TOKEN_CACHE_SIZE's default (src/upstream/upstream-config.ts). */
export const DEFAULT_TOKEN_CACHE_SIZE = 1_000;
/** What lru-cache allocates up front per slot of a cache bounded by count and TTL (arrays of keys, values, links, times). */
const LRU_SLOT_BYTES = 56;
/**
 * One event of a resume window, measured (test/support/store-heap.ts: ≈ 780 bytes): the order row as
 * PharmaOne sent it, here the vendor sample of GET /orders/{id} (a write's event; a poll's summary
 * row is smaller), parsed, with its seq, type and time. A PharmaOne row with longer strings or more
 * fields weighs more: the rows are not bounded in bytes one by one, only the answer (8 MiB).
 */
export const FEED_EVENT_BYTES = 832;
/** One scope's snapshot at its largest count (the polled page and 500 written versions), measured: ≈ 72 KiB. */
export const FEED_SNAPSHOT_BYTES = 80 * 1_024;

/** The feed's memory bus at its bounds: every watched scope and every ended one kept, each with a full window. */
export function feedHeapBytes(feed: Pick<FeedSettings, 'maxScopes' | 'maxEndedScopes' | 'resumeEvents'>): number {
  return (feed.maxScopes + feed.maxEndedScopes) * (feed.resumeEvents * FEED_EVENT_BYTES + FEED_SNAPSHOT_BYTES);
}

export const MEMORY_STORES: readonly MemoryStore[] = [
  {
    name: 'documents, prepared operations, compiled plans, run counts',
    keyedBy: 'query text (any caller)',
    env: 'GRAPHQL_DOCUMENT_CACHE_MB',
    heapBytes: (config) => config.graphqlDocumentCacheBytes,
    bound: 'LRU by estimated heap per entry (factors measured: test/unit/document-sizes.test.ts), one total in fixed shares',
    sites: [
      'src/graphql/document-caches.ts › createDocumentCacheGate.documentCache › <returned>',
      'src/graphql/prepared-operations.ts › createPreparedOperations.share › <returned>',
      'src/graphql/jit-executor.ts › createOperationExecutor › plans',
      'src/graphql/jit-executor.ts › createOperationExecutor › sightings',
    ],
  },
  {
    name: 'APQ registrations in flight',
    keyedBy: 'APQ hash',
    env: undefined,
    heapBytes: () => 1_024 * 512,
    bound: '1,024 entries (a hash and a flag, ≤ 512 bytes each)',
    sites: ['src/graphql/document-caches.ts › createDocumentCacheGate › registrations'],
  },
  {
    name: 'APQ texts',
    keyedBy: 'APQ hash and text (proven callers)',
    env: 'APQ_CACHE_MB',
    heapBytes: (config) => config.persistedQueries.apqCacheBytes,
    heapBytesFor: (bytes) => bytes,
    bound: 'LRU by heap: text and key at two bytes per character, 256 per entry',
    sites: ['src/graphql/plugins/persisted-queries.ts › memoryApqCache › <returned>'],
    redis: true,
  },
  {
    name: 'response cache',
    keyedBy: 'query, variables and authorization scope',
    env: 'RESPONSE_CACHE_MB',
    heapBytes: (config) => Math.ceil(config.responseCacheBytes * (17 / 16)),
    heapBytesFor: (bytes) => Math.ceil(bytes * (17 / 16)),
    bound: 'LRU by heap, and its generations per identity in a sixteenth more',
    sites: [
      'src/stores/response-cache-store.ts › createMemoryResponseCacheStore › entries',
      'src/stores/response-cache-store.ts › createMemoryResponseCacheStore › generations',
    ],
    redis: true,
  },
  {
    name: 'idempotency records',
    keyedBy: 'idempotency key and authorization scope',
    env: 'IDEMPOTENCY_CACHE_MB',
    heapBytes: (config) => config.stores.idempotency.cacheBytes + config.idempotency.maxKeys * LRU_SLOT_BYTES,
    heapBytesFor: (bytes) => bytes + DEFAULT_IDEMPOTENCY_MAX_KEYS * LRU_SLOT_BYTES,
    bound: 'LRU by heap (256 bytes per record besides its strings); IDEMPOTENCY_MAX_KEYS slots allocated up front',
    sites: ['src/writes/idempotency-store.ts › createMemoryIdempotencyRecords › records'],
    redis: true,
  },
  {
    name: 'tokens',
    keyedBy: 'credential, org',
    env: 'TOKEN_CACHE_MAX_BYTES',
    heapBytes: (config) => 2 * config.upstreamLimits.tokenCacheMaxBytes + config.upstream.tokenCacheSize * LRU_SLOT_BYTES,
    heapBytesFor: (bytes) => 2 * bytes + DEFAULT_TOKEN_CACHE_SIZE * LRU_SLOT_BYTES,
    bound: 'LRU by size (key and token characters, 64 per entry) and TOKEN_CACHE_SIZE; measured at most twice that in heap, plus its slots',
    sites: ['src/upstream/token-broker.ts › createTokenBroker › tokens'],
  },
  {
    name: 'token refusals',
    keyedBy: 'credential, org',
    env: 'TOKEN_NEGATIVE_CACHE_MAX_BYTES',
    heapBytes: (config) => config.upstreamLimits.tokenNegativeCacheMaxBytes,
    heapBytesFor: (bytes) => bytes,
    bound: 'LRU by heap: the key at two bytes per character, 192 per entry',
    sites: ['src/upstream/token-refusals.ts › createRefusalMemory › refused'],
  },
  {
    name: 'proven credentials',
    keyedBy: 'credential (accepted by PharmaOne)',
    env: undefined,
    heapBytes: () => MiB,
    heapBytesFor: (bytes) => bytes,
    bound: 'LRU, 1 MiB at 256 bytes per credential',
    sites: ['src/upstream/proven-credentials.ts › createProvenCredentials › untilMs'],
  },
  {
    name: 'quota buckets',
    keyedBy: 'client (caller scope and client name) and org',
    env: 'QUOTA_REPLICA_BUCKETS',
    heapBytes: (config) => config.quotas.maxReplicaBuckets * 512 + 256 * 512,
    bound:
      'QUOTA_REPLICA_BUCKETS buckets (a hashed key, calls and a time), ≤ 512 bytes each; with Redis, the settlements waiting for the next trip, 256 at most, ≤ 512 bytes each',
    sites: ['src/stores/quota-buckets.ts › createReplicaBuckets › held', 'src/stores/quota-store.ts › createRedisQuotaBuckets › waiting'],
  },
  {
    name: 'rate-limit gates',
    keyedBy: 'origin and credential PharmaOne rate limited',
    env: undefined,
    heapBytes: () => 10_000 * 512,
    bound: '10,000 entries (a key of origin and hash, an epoch), ≤ 512 bytes each',
    sites: ['src/upstream/resilience/rate-limit-gate.ts › createRateLimitGate › rateLimitedUntil'],
  },
  {
    name: 'upstream origins (breaker, orgs seen)',
    keyedBy: 'shop proxy origin (shop id from PharmaOne), org',
    env: undefined,
    heapBytes: () => 256 * 8 * 1_024 + 10_000 * 256,
    bound: '256 origins (≤ 8 KB of guards each); orgs seen per window, 10,000 at most, ≤ 256 bytes each',
    sites: [
      'src/upstream/resilience/resilient-http.ts › createOriginGuards › origins',
      'src/upstream/resilience/circuit-breaker.ts › createOrgsInWindow › lastSeen',
    ],
  },
  {
    name: 'per-org call estimates',
    keyedBy: 'org',
    env: undefined,
    heapBytes: () => 1_024 * 512,
    bound: '1,024 orgs remembered, ≤ 512 bytes each; lanes only while busy',
    sites: [
      'src/upstream/resilience/bulkhead.ts › createBulkhead › callMsByKey',
      'src/upstream/resilience/bulkhead.ts › createBulkhead › lanes',
    ],
  },
  {
    name: 'feed snapshots and resume windows',
    keyedBy: 'feed scope (org and credential PharmaOne authorized)',
    env: 'ORDER_FEED_MAX_SCOPES',
    heapBytes: (config) => feedHeapBytes(config.feed),
    measuredByCount: true,
    bound: `ORDER_FEED_MAX_SCOPES watched and ORDER_FEED_MAX_ENDED_SCOPES ended (least recently ended dropped), each: the last ORDER_FEED_RESUME_EVENTS events (${FEED_EVENT_BYTES} bytes each, measured) and one snapshot`,
    sites: [
      'src/feed/bus/feed-bus.ts › createMemoryFeedBus › scopes',
      'src/feed/bus/feed-bus.ts › createMemoryFeedBus › ended',
      'src/feed/bus/feed-bus.ts › createMemoryLease › holders',
    ],
    redis: true,
  },
  {
    name: 'operation names in metrics',
    keyedBy: 'operation name',
    env: 'METRICS_MAX_OPERATION_NAMES',
    heapBytes: (config) => config.operations.metricsMaxOperationNames * 4 * 1_024,
    bound: 'the first N names (≤ 64 characters), each with its series (≤ 4 KB)',
    sites: ['src/observability/operation-names.ts › createOperationLabeler › seen', 'src/observability/metrics.ts › boundObserver › bound'],
  },
  {
    name: 'log lines waiting for stdout',
    keyedBy: 'nothing a caller picks: the lines of a stalled log collector',
    env: undefined,
    heapBytes: () => 2 * MAX_WAITING_BYTES,
    bound: `${MAX_WAITING_BYTES / 1_024} Ki characters of whole lines (≤ 2 bytes each in heap); past it lines are dropped and counted`,
    sites: [],
  },
];

/** What the model adds up to at `config`: each store's heap, and their sum. */
export function memoryModel(config: GatewayConfig): { rows: Array<{ store: MemoryStore; heapBytes: number }>; sumBytes: number } {
  const rows = MEMORY_STORES.map((store) => ({ store, heapBytes: store.heapBytes(config) }));
  return { rows, sumBytes: rows.reduce((sum, row) => sum + row.heapBytes, 0) };
}
