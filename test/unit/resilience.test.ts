// The resilience building blocks as pure functions and state machines, on a fake clock.
import { describe, expect, it } from 'vitest';
import { createBulkhead } from '../../src/upstream/resilience/bulkhead.ts';
import { type CircuitBreaker, createCircuitBreaker } from '../../src/upstream/resilience/circuit-breaker.ts';
import { backoffMs, retryAfterMs, retryReason } from '../../src/upstream/resilience/retry.ts';
import { createRetryBudget } from '../../src/upstream/resilience/retry-budget.ts';
import { createRollingCounter } from '../../src/upstream/resilience/rolling-window.ts';
import { UpstreamUnavailableError } from '../../src/upstream/upstream-errors.ts';
import { must } from '../support/must.ts';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('rolling counter', () => {
  it('forgets counts older than the window', () => {
    const clock = fakeClock();
    const counter = createRollingCounter(['ok'] as const, { windowMs: 1_000, buckets: 10, now: clock.now });
    counter.add('ok', 3);
    clock.advance(500);
    counter.add('ok', 2);

    expect(counter.totals()).toEqual({ ok: 5 });
    clock.advance(600);
    expect(counter.totals()).toEqual({ ok: 2 });
    clock.advance(1_000);
    expect(counter.totals()).toEqual({ ok: 0 });
  });
});

describe('retry budget', () => {
  it('allows the floor plus the ratio of calls in the window, and refills as the window slides', () => {
    const clock = fakeClock();
    const budget = createRetryBudget({ ratio: 0.2, minRetriesPerWindow: 1, windowMs: 1_000, now: clock.now });
    for (let i = 0; i < 10; i++) budget.recordCall();

    const granted = Array.from({ length: 5 }, () => budget.tryRetry());

    expect(granted).toEqual([true, true, true, false, false]);
    clock.advance(1_100);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });
});

describe('circuit breaker', () => {
  /** A permit the breaker must grant at this point; a refusal fails the test. */
  const permit = (breaker: CircuitBreaker) => must(breaker.tryAcquire(), 'a breaker permit');
  const options = { minCalls: 4, errorRate: 0.5, windowMs: 10_000, openMs: 1_000, halfOpenProbes: 1 };

  it('stays closed below the minimum volume, however many fail', () => {
    const breaker = createCircuitBreaker({ ...options });
    for (let i = 0; i < 3; i++) permit(breaker).failure();

    expect(breaker.state()).toBe('closed');
  });

  it('opens at the error rate, half-opens after openMs with one probe, and closes on its success', () => {
    const clock = fakeClock();
    const states: string[] = [];
    const breaker = createCircuitBreaker({ ...options, now: clock.now, onStateChange: (state) => states.push(state) });
    permit(breaker).success();
    permit(breaker).success();
    permit(breaker).failure();
    permit(breaker).failure();

    expect(breaker.tryAcquire()).toBeNull();
    clock.advance(1_000);
    const probe = breaker.tryAcquire();
    expect(probe).not.toBeNull();
    expect(breaker.tryAcquire()).toBeNull();
    must(probe, 'the probe permit').success();
    expect(breaker.tryAcquire()).not.toBeNull();
    expect(states).toEqual(['open', 'half_open', 'closed']);
  });

  it('reopens when the probe fails, and frees the probe slot when it is released unused', () => {
    const clock = fakeClock();
    const breaker = createCircuitBreaker({ ...options, now: clock.now });
    for (let i = 0; i < 4; i++) permit(breaker).failure();
    clock.advance(1_000);

    permit(breaker).release();
    permit(breaker).failure();

    expect(breaker.state()).toBe('open');
  });
});

describe('bulkhead', () => {
  it('runs at most maxConcurrent per key, queues the rest in order, and keeps keys apart', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 2 });
    const order: string[] = [];
    const first = await bulkhead.acquire('org1');
    const second = bulkhead.acquire('org1').then((release) => {
      order.push('second');
      return release;
    });
    const third = bulkhead.acquire('org1').then((release) => {
      order.push('third');
      return release;
    });
    const other = await bulkhead.acquire('org2');

    await expect(bulkhead.acquire('org1')).rejects.toMatchObject({ refusal: 'queue_full' });
    expect(bulkhead.stats()).toEqual({ active: 2, queued: 2 });
    first();
    (await second)();
    (await third)();
    other();
    expect(order).toEqual(['second', 'third']);
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('drops a waiter whose signal aborts', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 5 });
    const held = await bulkhead.acquire('org1');
    const controller = new AbortController();
    const waiting = bulkhead.acquire('org1', controller.signal);

    controller.abort();

    await expect(waiting).rejects.toMatchObject({ refusal: 'aborted' });
    expect(bulkhead.stats()).toEqual({ active: 1, queued: 0 });
    held();
  });
});

describe('retry policy', () => {
  it('retries 5xx, 429, resets, connect failures and timeouts, and nothing else', () => {
    const response = (status: number) => ({ response: { status, headers: {}, body: null } });
    const unavailable = (reason: ConstructorParameters<typeof UpstreamUnavailableError>[0]['reason']) => ({
      error: new UpstreamUnavailableError({ route: 'GET /shops', reason, mayHaveArrived: true }),
    });

    expect([500, 502, 503, 429, 404, 400, 200].map((status) => retryReason(response(status)))).toEqual([
      '500',
      '502',
      '503',
      '429',
      null,
      null,
      null,
    ]);
    expect(
      (['reset', 'connect', 'timeout', 'deadline', 'aborted', 'circuit_open', 'overloaded'] as const).map((reason) =>
        retryReason(unavailable(reason)),
      ),
    ).toEqual(['reset', 'connect', 'timeout', null, null, null, null]);
  });

  it('draws full-jitter backoff below an exponential cap', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

    expect([1, 2, 3, 4, 5].map((retry) => backoffMs(policy, retry, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = () => Date.parse('2026-06-14T12:00:00Z');

    expect(retryAfterMs('2', now)).toBe(2_000);
    expect(retryAfterMs('Sun, 14 Jun 2026 12:00:03 GMT', now)).toBe(3_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
