// The gateway's Prometheus metrics, in a registry of its own per gateway instance (never
// prom-client's global default), so tests can run several gateways in one process. Labels are
// bounded: route templates, statuses, reasons, bounded operation names and upstream origins.
import { createClientUsage } from './client-usage.ts';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BreakerState } from '../upstream/resilience/circuit-breaker.ts';
import { ROUTE_BY_OPERATION, ROUTES } from '../upstream/routes.ts';
import { createOperationLabeler } from './operation-names.ts';
import { droppedLogLines } from '../logging/logger.ts';

export type OperationOutcome = 'ok' | 'partial' | 'error';

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

/** What the gauges read at scrape time (the resilient upstream HTTP). */
export interface UpstreamGuardsView {
  breakerStates(): Array<{ origin: string; state: BreakerState }>;
  bulkheadStats(): { active: number; queued: number };
}

export function createGatewayMetrics(options: { maxOperationNames: number; clients?: { maxLabels: number; named: Iterable<string> } }) {
  let guards: UpstreamGuardsView = { breakerStates: () => [], bulkheadStats: () => ({ active: 0, queued: 0 }) };
  const registry = new Registry();
  // Process metrics, including event-loop lag (monitorEventLoopDelay; p99 per scrape interval).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const registers = [registry];
  const labeler = createOperationLabeler(options.maxOperationNames);

  // Every metric lives in this gateway's registry; the helpers keep each definition to its name, help and labels.
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram<L>({ name, help, labelNames, buckets, registers });
  const operationDuration = histogram(
    'graphql_operation_duration_seconds',
    'GraphQL operations by operation name (bounded) and outcome (ok, partial: data with errors, error: no data).',
    ['operation', 'outcome'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  );
  const upstreamDuration = histogram(
    'pharmaone_upstream_request_duration_seconds',
    'PharmaOne HTTP attempts (each retry is one) by route template and status (HTTP status, or connect, timeout, reset, deadline, aborted).',
    ['route', 'status'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const upstreamRetries = counter(
    'pharmaone_upstream_retries_total',
    'Reads retried, by route template and the failure retried (HTTP status, connect, timeout, reset).',
    ['route', 'reason'],
  );
  const retryBudgetExhausted = counter(
    'pharmaone_upstream_retry_budget_exhausted_total',
    'Retries not made because the origin retry budget was spent.',
    ['route'],
  );
  const upstreamRejected = counter(
    'pharmaone_upstream_rejected_total',
    'Calls the gateway refused before sending: circuit_open, overloaded (predicted bulkhead wait for the org would not fit), deadline (expired while queued).',
    ['route', 'reason'],
  );
  const tokenExchanges = counter(
    'pharmaone_token_exchanges_total',
    `Integration key → JWT exchanges (${ROUTES[ROUTE_BY_OPERATION.exchangeToken].label}) by outcome.`,
    ['outcome'],
  );
  const tokenLookups = counter(
    'pharmaone_token_cache_lookups_total',
    'Token lookups by result: hit (cached JWT used) or miss (waited for an exchange).',
    ['result'],
  );
  const loaderBatchSize = histogram(
    'graphql_loader_batch_size',
    'Keys per DataLoader batch, by loader.',
    ['loader'],
    [1, 2, 5, 10, 20, 50, 100],
  );
  new Gauge({
    name: 'pharmaone_circuit_breaker_state',
    help: 'Circuit breaker per upstream origin: 0 closed, 1 half-open, 2 open.',
    labelNames: ['origin'] as const,
    registers,
    collect() {
      this.reset();
      for (const { origin, state } of guards.breakerStates()) this.set({ origin }, BREAKER_VALUES[state]);
    },
  });
  new Gauge({
    name: 'pharmaone_bulkhead_calls',
    help: 'Upstream calls holding a per-org bulkhead slot (state=active) or waiting for one (state=queued), all orgs together.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const { active, queued } = guards.bulkheadStats();
      this.set({ state: 'active' }, active);
      this.set({ state: 'queued' }, queued);
    },
  });
  // Once per request: bound like the upstream attempts (boundObserver).
  const observeOperation = boundObserver(operationDuration, 'operation', 'outcome');
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    watchUpstream(view: UpstreamGuardsView): void {
      guards = view;
    },
    operation(name: string | null | undefined, outcome: OperationOutcome, seconds: number): void {
      observeOperation(labeler.label(name), outcome, seconds);
    },
    operationErrors: countErrorCodes(registry),
    clientUsage: createClientUsage(registry, options.clients ?? { maxLabels: 20, named: [] }),
    upstreamAttempt: boundObserver(upstreamDuration, 'route', 'status'),
    retry: (route: string, reason: string) => upstreamRetries.inc({ route, reason }),
    retryBudgetExhausted: (route: string) => retryBudgetExhausted.inc({ route }),
    rejected: (route: string, reason: string) => upstreamRejected.inc({ route, reason }),
    tokenExchange: (outcome: 'ok' | 'failed') => tokenExchanges.inc({ outcome }),
    tokenLookup: (result: 'hit' | 'miss') => tokenLookups.inc({ result }),
    loaderBatch: (loader: string, size: number) => loaderBatchSize.observe({ loader }, size),
  };
}

/** Distinct error codes kept as labels; the gateway's own vocabulary is a few dozen. */
const MAX_ERROR_CODES = 64;

/** Requests by the error codes their answer carried: refusals and failures, for alerts by code. */
function countErrorCodes(registry: Registry): (codes: readonly string[]) => void {
  const errors = new Counter({
    name: 'graphql_operation_errors_total',
    help: 'GraphQL requests answered with an error of this extensions.code (once per code per request), refusals such as QUERY_TOO_EXPENSIVE, TOO_MANY_SUBSCRIPTIONS and SHUTTING_DOWN included.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const label = boundedLabel(MAX_ERROR_CODES);
  return (codes) => {
    for (const code of codes) errors.inc({ code: label(code) });
  };
}

/**
 * A label for a code: an UPPER_SNAKE code as itself while fewer than `max` have been seen, else
 * `other`, so a code nobody planned for cannot grow the series without bound.
 */
function boundedLabel(max: number): (code: string) => string {
  const seen = new Set<string>();
  return (code) => {
    if (seen.has(code)) return code;
    if (!/^[A-Z][A-Z0-9_]{0,63}$/.test(code) || seen.size >= max) return 'other';
    seen.add(code);
    return code;
  };
}

/**
 * POST requests by the path that served them: `prepared` (src/graphql/prepared-operations.ts) or
 * `apollo` (Apollo Server's pipeline). A low prepared share means clients send ever-new query
 * texts (e.g. values inlined instead of variables).
 */
export function watchPreparedOperations(registry: Registry, stats: () => { served: number; handedToApollo: number }): void {
  const seen = { prepared: 0, apollo: 0 };
  new Counter({
    name: 'graphql_post_requests_by_path_total',
    help: 'GraphQL POST requests by the path that served them: prepared (a query accepted before, run without Apollo) or apollo.',
    labelNames: ['path'],
    registers: [registry],
    collect() {
      const now = stats();
      this.inc({ path: 'prepared' }, now.served - seen.prepared);
      this.inc({ path: 'apollo' }, now.handedToApollo - seen.apollo);
      seen.prepared = now.served;
      seen.apollo = now.handedToApollo;
    },
  });
}

/**
 * Heap held by each cache kept per query text (src/graphql/document-caches.ts), as estimated by
 * their byte budgets: near GRAPHQL_DOCUMENT_CACHE_MB's share means the hot set does not fit (or
 * a caller sends ever-new texts; `unproven_documents` fills only from callers never proven).
 */
export function watchDocumentCaches(registry: Registry, bytes: () => Record<string, number>): void {
  new Gauge({
    name: 'graphql_document_cache_bytes',
    help: 'Estimated heap held by each cache kept per query text (parsed documents, prepared operations, compiled plans, run counts).',
    labelNames: ['cache'],
    registers: [registry],
    collect() {
      for (const [cache, value] of Object.entries(bytes())) this.set({ cache }, value);
    },
  });
}

/** Log lines a stalled stdout made the writer drop (src/logging/stdout-lines.ts), read at scrape time. */
export function watchLogLines(registry: Registry): void {
  let seen = 0;
  new Counter({
    name: 'gateway_log_lines_dropped_total',
    help: 'Log lines dropped because stdout stayed blocked (a stalled log collector) past the waiting bound.',
    registers: [registry],
    collect() {
      const dropped = droppedLogLines();
      this.inc(dropped - seen);
      seen = dropped;
    },
  });
}

/** The parts of prom-client's Histogram a bound series writes to (prom-client 15). */
interface HistogramInternals {
  hashMap?: Record<string, SeriesValues>;
  upperBounds?: readonly number[];
}
interface SeriesValues {
  labels: Record<string, string | number>;
  sum: number;
  count: number;
  /** Keyed by each bucket's upper bound as text (`"0.005"`): how a number indexes an object. */
  bucketValues: Record<string, number>;
}

/**
 * An observer for a histogram of two labels (route and status; operation and outcome) that binds
 * each series once. prom-client validates and hashes the labels on every observe(), its
 * `labels()` children included; upstream attempts are the hottest metric (one per PharmaOne HTTP
 * attempt, 46 for a 45-order read), operations come once per request. So the first
 * observation of a pair goes through the public observe(), which creates the series, and later
 * ones add to that series' values exactly as observe() would (sum, count, the first bucket whose
 * bound holds the value). If the series was replaced since (a reset), the pair binds again;
 * should prom-client's internals ever differ, every observation stays on the public path.
 */
function boundObserver<First extends string, Second extends string>(histogram: Histogram<First | Second>, first: First, second: Second) {
  const internals = histogram as unknown as HistogramInternals;
  const bound = new Map<string, Map<number | string, { key: string; values: SeriesValues }>>();
  // The buckets' property names (`bucketValues[0.005]` is `bucketValues["0.005"]`), written once
  // per list of bounds instead of a number-to-text conversion per observation.
  let namedBounds: readonly number[] | undefined;
  let boundNames: string[] = [];
  return (firstValue: string, secondValue: number | string, seconds: number): void => {
    let bySecond = bound.get(firstValue);
    const series = bySecond?.get(secondValue);
    const upperBounds = internals.upperBounds;
    if (series !== undefined && upperBounds && internals.hashMap?.[series.key] === series.values && Number.isFinite(seconds)) {
      const values = series.values;
      values.sum += seconds;
      values.count += 1;
      if (upperBounds !== namedBounds) {
        boundNames = upperBounds.map(String);
        namedBounds = upperBounds;
      }
      for (let i = 0; i < upperBounds.length; i++) {
        if (seconds <= (upperBounds[i] as number)) {
          const name = boundNames[i] as string;
          values.bucketValues[name] = (values.bucketValues[name] ?? 0) + 1;
          break;
        }
      }
      return;
    }
    const label = String(secondValue);
    histogram.observe({ [first]: firstValue, [second]: label } as Record<First | Second, string>, seconds);
    if (!Array.isArray(internals.upperBounds)) return;
    for (const [key, values] of Object.entries(internals.hashMap ?? {})) {
      if (values.labels?.[first] !== firstValue || values.labels[second] !== label) continue;
      if (!bySecond) {
        bySecond = new Map();
        bound.set(firstValue, bySecond);
      }
      bySecond.set(secondValue, { key, values });
      return;
    }
  };
}
