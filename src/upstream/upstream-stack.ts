// The PharmaOne HTTP stack, outermost first: resilience (breaker, bulkhead, retries inside the
// operation's deadline) → observation (metrics and a span per attempt, `traceparent` added) →
// undici. Everything above it sees one UpstreamHttp.
import { createUpstreamHttp } from './http.ts';
import { createObservedHttp } from './observed-http.ts';
import type { AttemptRecorder, AttemptTracer } from './observed-http.ts';
import { createResilientHttp } from './resilience/resilient-http.ts';
import type { ResilienceConfig } from './resilience/resilience-config.ts';
import type { ResilienceEvents, ResilientHttp } from './resilience/resilient-http.ts';
import type { UpstreamConfig } from './upstream-config.ts';
import type { UpstreamLimits } from './upstream-limits.ts';

export function createUpstreamStack(
  config: { upstream: UpstreamConfig; resilience: ResilienceConfig; upstreamLimits: UpstreamLimits },
  deps: {
    metrics: AttemptRecorder & Omit<ResilienceEvents, 'breakerStateChanged'>;
    tracing: AttemptTracer;
    onBreakerStateChange?: ResilienceEvents['breakerStateChanged'];
    now?: () => number;
  },
): ResilientHttp {
  const observed = createObservedHttp(createUpstreamHttp(config.upstream, config.upstreamLimits), {
    metrics: deps.metrics,
    tracing: deps.tracing,
  });
  const { retry, retryBudget, breaker, bulkhead } = config.resilience;
  return createResilientHttp(observed, {
    retry,
    retryBudget,
    breaker,
    bulkhead,
    rateLimitMaxSeconds: config.upstreamLimits.rateLimitMaxSeconds,
    ...(deps.now ? { now: deps.now } : {}),
    events: {
      retry: deps.metrics.retry,
      retryBudgetExhausted: deps.metrics.retryBudgetExhausted,
      rejected: deps.metrics.rejected,
      ...(deps.onBreakerStateChange ? { breakerStateChanged: deps.onBreakerStateChange } : {}),
    },
  });
}
