// The resilience building blocks as pure functions and state machines, on a fake clock.
import { describe, expect, it } from 'vitest';
import { MAX_WAITING_PER_KEY, createBulkhead } from '../../src/upstream/resilience/bulkhead.ts';
import {
  type CircuitBreaker,
  MAX_TRACKED_ORGS,
  createCircuitBreaker,
  createOrgsInWindow,
} from '../../src/upstream/resilience/circuit-breaker.ts';
import { backoffMs, retryAfterMs, retryReason } from '../../src/upstream/resilience/retry.ts';
import { createRetryBudget } from '../../src/upstream/resilience/retry-budget.ts';
import { createRollingCounter } from '../../src/upstream/resilience/rolling-window.ts';
import type { UpstreamHttp } from '../../src/upstream/http.ts';
import { createResilientHttp } from '../../src/upstream/resilience/resilient-http.ts';
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

describe('circuit breaker with several orgs: an outage is what more than one tenant sees', () => {
  const options = { minCalls: 4, errorRate: 0.5, windowMs: 10_000, openMs: 1_000, halfOpenProbes: 1 };
  /** One call's outcome: the org it was made for, and whether it failed. */
  type Call = [org: string | undefined, outcome: 'ok' | 'failed'];

  /** Plays the calls in order on a fresh breaker; a call the breaker refuses is recorded as refused. */
  function play(calls: readonly Call[]): { state: string; refused: number } {
    const breaker = createCircuitBreaker({ ...options, now: fakeClock().now });
    let refused = 0;
    for (const [org, outcome] of calls) {
      const permit = breaker.tryAcquire(org);
      if (!permit) refused += 1;
      else if (outcome === 'ok') permit.success();
      else permit.failure();
    }
    return { state: breaker.state(), refused };
  }
  const times = (n: number, call: Call): Call[] => Array.from({ length: n }, () => call);
  /** A fresh breaker on a fake clock of its own, for scenarios that let time pass. */
  function breakerOnClock() {
    const clock = fakeClock();
    return { clock, breaker: createCircuitBreaker({ ...options, now: clock.now }) };
  }
  /** `org`'s next `n` calls, each let through by the breaker (else the test fails) and ending as `outcome`. */
  function call(breaker: CircuitBreaker, org: string, outcome: Call[1], n = 1) {
    for (let i = 0; i < n; i++) {
      const permit = must(breaker.tryAcquire(org), `a permit for ${org}`);
      if (outcome === 'ok') permit.success();
      else permit.failure();
    }
  }

  it.each<{ name: string; calls: Call[]; state: string }>([
    { name: 'one org failing among several', calls: [...times(2, ['a', 'ok']), ...times(20, ['b', 'failed'])], state: 'closed' },
    {
      name: 'one org failing, the others calling in between',
      calls: Array.from({ length: 30 }, (_, i): Call => (i % 3 === 0 ? [`ok${i % 2}`, 'ok'] : ['sick', 'failed'])),
      state: 'closed',
    },
    {
      name: 'one org failing while nine others succeed',
      calls: [...Array.from({ length: 9 }, (_, i): Call => [`o${i}`, 'ok']), ...times(40, ['b', 'failed'])],
      state: 'closed',
    },
    {
      name: 'two orgs failing',
      calls: [
        ['a', 'ok'],
        ['a', 'failed'],
        ['b', 'failed'],
        ['c', 'ok'],
        ['b', 'failed'],
      ],
      state: 'open',
    },
    {
      name: 'two orgs failing among several',
      calls: [...times(4, ['a', 'ok']), ...times(3, ['b', 'failed']), ...times(3, ['c', 'failed']), ['d', 'failed']],
      state: 'open',
    },
    { name: 'only one org calling, and failing', calls: times(4, ['a', 'failed']), state: 'open' },
    {
      name: 'only one org calling, half failing',
      calls: [
        ['a', 'ok'],
        ['a', 'ok'],
        ['a', 'failed'],
        ['a', 'failed'],
      ],
      state: 'open',
    },
    { name: 'calls without an org (one tenant of their own)', calls: times(4, [undefined, 'failed']), state: 'open' },
    { name: 'two orgs failing below the error rate', calls: [...times(6, ['a', 'ok']), ['a', 'failed'], ['b', 'failed']], state: 'closed' },
    {
      name: 'two orgs failing below the minimum volume',
      calls: [
        ['a', 'failed'],
        ['b', 'failed'],
        ['a', 'failed'],
      ],
      state: 'closed',
    },
  ])('$name → $state', ({ calls, state }) => {
    expect(play(calls).state).toBe(state);
  });

  it('keeps serving every org while one org fails, and opens once a second org fails too', () => {
    const { breaker } = breakerOnClock();
    call(breaker, 'a', 'ok');
    call(breaker, 'b', 'failed', 50);
    expect(breaker.state()).toBe('closed');

    call(breaker, 'a', 'failed');

    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire('a')).toBeNull();
    expect(breaker.tryAcquire('c')).toBeNull();
  });

  it('forgets the orgs that called before the window: the one org left calling then counts as the only tenant', () => {
    const { clock, breaker } = breakerOnClock();
    call(breaker, 'a', 'ok');
    call(breaker, 'b', 'failed', 10);
    expect(breaker.state()).toBe('closed');

    // Org a's call leaves the window; org b alone is still calling and failing.
    clock.advance(options.windowMs);
    call(breaker, 'b', 'failed', 3);
    expect(breaker.state()).toBe('closed');
    call(breaker, 'b', 'failed');

    expect(breaker.state()).toBe('open');
  });

  it("forgets a failing org's failures past the window: a later failure of another org is then one org's again", () => {
    const { clock, breaker } = breakerOnClock();
    call(breaker, 'a', 'failed', 3);
    call(breaker, 'c', 'ok');
    clock.advance(options.windowMs);

    call(breaker, 'c', 'ok');
    call(breaker, 'b', 'failed', 10);

    expect(breaker.state()).toBe('closed');
  });

  it('starts afresh after closing: the orgs of the last period are forgotten', () => {
    const { clock, breaker } = breakerOnClock();
    call(breaker, 'a', 'failed');
    call(breaker, 'b', 'failed', 3);
    expect(breaker.state()).toBe('open');
    clock.advance(options.openMs);
    must(breaker.tryAcquire('a'), 'the probe').success();
    expect(breaker.state()).toBe('closed');

    call(breaker, 'c', 'ok');
    call(breaker, 'b', 'failed', 10);

    expect(breaker.state()).toBe('closed');
  });
});

describe('orgs in a window', () => {
  it('counts distinct orgs seen within the window, and forgets each one a window after it was last seen', () => {
    const clock = fakeClock();
    const orgs = createOrgsInWindow({ windowMs: 1_000, now: clock.now });
    orgs.see('a');
    orgs.see('b');
    orgs.see('a');
    expect(orgs.count()).toBe(2);

    clock.advance(600);
    orgs.see('b');
    clock.advance(400);
    expect(orgs.count()).toBe(1);
    clock.advance(599);
    expect(orgs.count()).toBe(1);
    clock.advance(1);
    expect(orgs.count()).toBe(0);
  });

  it('remembers at most maxOrgs, forgetting the least recently seen first', () => {
    const clock = fakeClock();
    const orgs = createOrgsInWindow({ windowMs: 1_000, maxOrgs: 3, now: clock.now });
    for (const org of ['a', 'b', 'c', 'a', 'd']) {
      orgs.see(org);
      clock.advance(100);
    }
    // b (last seen at 100) was forgotten for d; c (200), a (300) and d (400) remain.
    expect(orgs.count()).toBe(3);

    clock.advance(1_200 - 500);
    expect(orgs.count()).toBe(2);
    clock.advance(100);
    expect(orgs.count()).toBe(1);
  });

  it('stays bounded by MAX_TRACKED_ORGS by default however many orgs a flood names', () => {
    const orgs = createOrgsInWindow({ windowMs: 60_000, now: fakeClock().now });
    for (let i = 0; i < MAX_TRACKED_ORGS + 5_000; i++) orgs.see(`org${i}`);

    expect(MAX_TRACKED_ORGS).toBe(10_000);
    expect(orgs.count()).toBe(MAX_TRACKED_ORGS);
  });

  it('a breaker flooded with orgs still opens when two of them fail', () => {
    const breaker = createCircuitBreaker({
      minCalls: 4,
      errorRate: 0.5,
      windowMs: 60_000,
      openMs: 1_000,
      halfOpenProbes: 1,
      now: fakeClock().now,
    });
    for (let i = 0; i < MAX_TRACKED_ORGS + 100; i++) must(breaker.tryAcquire(`org${i}`), 'a permit').success();
    for (let i = 0; i < MAX_TRACKED_ORGS + 200; i++) must(breaker.tryAcquire('sick'), 'a permit').failure();
    expect(breaker.state()).toBe('closed');

    must(breaker.tryAcquire('other'), 'a permit').failure();

    expect(breaker.state()).toBe('open');
  });
});

describe('bulkhead', () => {
  /** Runs `calls` calls of `key` that each take `ms` on the fake clock, so the org's estimate is `ms`. */
  async function calibrate(
    bulkhead: ReturnType<typeof createBulkhead>,
    clock: ReturnType<typeof fakeClock>,
    key: string,
    ms: number,
    calls = 1,
  ) {
    const releases = await Promise.all(Array.from({ length: calls }, () => bulkhead.acquire(key)));
    clock.advance(ms);
    for (const release of releases) release();
  }

  /** 32 slots, org1's calls known to take 10 ms, then 32 clients × 46 calls (order details) asked for at once. */
  async function healthyQueue(maxWaitMs: number) {
    const clock = fakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 32, maxWaitMs, now: clock.now });
    await calibrate(bulkhead, clock, 'org1', 10, 32);
    const calls = Array.from({ length: 32 * 46 }, () => bulkhead.acquire('org1'));
    return { clock, bulkhead, calls };
  }

  it('runs at most maxConcurrent per key, queues the rest in order, and keeps keys apart', async () => {
    const clock = fakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxWaitMs: 250, now: clock.now });
    await calibrate(bulkhead, clock, 'org1', 100);
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

    // A fourth org1 call would wait ~300 ms (three calls of ~100 ms ahead, one slot): over 250.
    await expect(bulkhead.acquire('org1')).rejects.toMatchObject({ refusal: 'overloaded' });
    expect(bulkhead.stats()).toEqual({ active: 2, queued: 2 });
    first();
    (await second)();
    (await third)();
    other();
    expect(order).toEqual(['second', 'third']);
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('admits a long queue of fast calls: 32 clients × 45 order details at 10 ms a call is healthy load', async () => {
    const { clock, bulkhead, calls } = await healthyQueue(5_000);
    expect(bulkhead.stats()).toEqual({ active: 32, queued: 32 * 46 - 32 });
    // Each slot hands over to the next waiter in turn until every call has run.
    for (const call of calls) {
      clock.advance(10);
      (await call)();
    }
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it.each([
    // maxConcurrent, the org's call duration, maxWaitMs → waiters admitted = ⌊maxWaitMs × maxConcurrent / callMs⌋
    { maxConcurrent: 4, callMs: 1_000, maxWaitMs: 5_000, admitted: 20 },
    { maxConcurrent: 32, callMs: 2_000, maxWaitMs: 5_000, admitted: 80 },
    { maxConcurrent: 1, callMs: 300, maxWaitMs: 450, admitted: 1 },
    { maxConcurrent: 8, callMs: 50, maxWaitMs: 100, admitted: 16 },
    { maxConcurrent: 2, callMs: 100, maxWaitMs: 0, admitted: 0 },
  ])(
    'a flooding org waits only as long as maxWaitMs allows: $maxConcurrent slots, $callMs ms calls, $maxWaitMs ms → $admitted waiting',
    async ({ maxConcurrent, callMs, maxWaitMs, admitted }) => {
      const clock = fakeClock();
      const bulkhead = createBulkhead({ maxConcurrent, maxWaitMs, now: clock.now });
      await calibrate(bulkhead, clock, 'org1', callMs);

      const flood = Array.from({ length: maxConcurrent + admitted + 50 }, () =>
        bulkhead.acquire('org1').then(
          (release) => ({ release }),
          (error: { refusal: string }) => ({ refusal: error.refusal }),
        ),
      );
      const refused = await Promise.all(flood.slice(maxConcurrent + admitted));
      expect(refused).toEqual(Array.from({ length: 50 }, () => ({ refusal: 'overloaded' })));
      expect(bulkhead.stats()).toEqual({ active: maxConcurrent, queued: admitted });
      for (const outcome of flood.slice(0, maxConcurrent + admitted)) ((await outcome) as { release: () => void }).release();
      expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
    },
  );

  it('does not read a pause that ends 32 calls at once as a slow upstream: the healthy queue stays admitted', async () => {
    const { clock, bulkhead, calls } = await healthyQueue(14_000);
    // The process stalls (GC, descheduled): the 32 running calls all finish 400 ms late, together.
    clock.advance(400);
    for (const call of calls.slice(0, 32)) (await call)();

    // 1,440 calls ahead at an average still near 10 ms a call: a wait of well under 14 s.
    const queued = bulkhead.stats().queued;
    const late = bulkhead.acquire('org1');
    late.catch(() => {});
    expect(bulkhead.stats().queued).toBe(queued + 1);
    for (const call of calls.slice(32)) {
      clock.advance(10);
      (await call)();
    }
    (await late)();
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('refuses a wait that would outlast the operation deadline, even within maxWaitMs', async () => {
    const clock = fakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxWaitMs: 60_000, now: clock.now });
    await calibrate(bulkhead, clock, 'org1', 1_000);
    const held = await bulkhead.acquire('org1');

    const fits = bulkhead.acquire('org1', undefined, clock.now() + 1_500);
    await expect(bulkhead.acquire('org1', undefined, clock.now() + 1_500)).rejects.toMatchObject({ refusal: 'overloaded' });
    await expect(bulkhead.acquire('org1', undefined, clock.now() - 1)).rejects.toMatchObject({ refusal: 'overloaded' });
    expect(bulkhead.stats()).toEqual({ active: 1, queued: 1 });
    held();
    (await fits)();
  });

  it("follows the org's own call durations: the same queue is admitted while calls are fast, refused once they are slow", async () => {
    const clock = fakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxWaitMs: 1_000, now: clock.now });
    await calibrate(bulkhead, clock, 'org1', 100, 2);
    const slots = [await bulkhead.acquire('org1'), await bulkhead.acquire('org1')];
    const waiting = Array.from({ length: 10 }, () => bulkhead.acquire('org1'));
    expect(bulkhead.stats()).toEqual({ active: 2, queued: 10 });
    // The upstream slows down: the calls running now take 3 s.
    clock.advance(3_000);
    for (const release of slots) release();
    for (const call of waiting) {
      clock.advance(3_000);
      (await call)();
    }
    const again = [await bulkhead.acquire('org1'), await bulkhead.acquire('org1')];
    await expect(bulkhead.acquire('org1')).rejects.toMatchObject({ refusal: 'overloaded' });
    for (const release of again) release();
  });

  it('two orgs: a flooding org is refused while the other keeps its own slots, its own estimate and its own queue', async () => {
    const clock = fakeClock();
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxWaitMs: 1_000, now: clock.now });
    await calibrate(bulkhead, clock, 'quiet', 10, 2);
    await calibrate(bulkhead, clock, 'noisy', 1_000, 2);

    const noisy = Array.from({ length: 50 }, () =>
      bulkhead.acquire('noisy').then(
        (release) => ({ release }),
        (error: { refusal: string }) => ({ refusal: error.refusal }),
      ),
    );
    // Its 2 slots, then (w + 1) × 1000 / 2 ≤ 1000 admits 2 waiters; the other 46 are refused.
    const noisyRefused = await Promise.all(noisy.slice(4));
    expect(noisyRefused).toEqual(Array.from({ length: 46 }, () => ({ refusal: 'overloaded' })));

    const quiet = Array.from({ length: 40 }, () => bulkhead.acquire('quiet'));
    // 2 slots of its own at once, and 38 waiting (38 × 10 / 2 = 190 ms ≤ 1000): none refused.
    expect(bulkhead.stats()).toEqual({ active: 4, queued: 2 + 38 });
    for (const call of quiet) {
      clock.advance(10);
      (await call)();
    }
    for (const outcome of noisy.slice(0, 4)) ((await outcome) as { release: () => void }).release();
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it("bounds one org's waiting calls in memory even before any call was measured", async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxWaitMs: 60_000 });
    const held = await bulkhead.acquire('org1');
    const controller = new AbortController();
    const waiting = Array.from({ length: MAX_WAITING_PER_KEY }, () => bulkhead.acquire('org1', controller.signal));
    for (const call of waiting) call.catch(() => {});

    await expect(bulkhead.acquire('org1')).rejects.toMatchObject({ refusal: 'overloaded' });
    expect(bulkhead.stats()).toEqual({ active: 1, queued: MAX_WAITING_PER_KEY });
    controller.abort();
    expect(bulkhead.stats()).toEqual({ active: 1, queued: 0 });
    // The aborted waiters no longer count: a new call may wait again.
    const next = bulkhead.acquire('org1');
    expect(bulkhead.stats()).toEqual({ active: 1, queued: 1 });
    held();
    (await next)();
    expect(bulkhead.stats()).toEqual({ active: 0, queued: 0 });
  });

  it('drops a waiter whose signal aborts', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxWaitMs: 5_000 });
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

describe('a retry after a 429', () => {
  /** Up to 3 attempts, no backoff of their own, nothing else in the way, time from `clock`. */
  function retriesOnAFakeClock(clock: ReturnType<typeof fakeClock>) {
    return {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      retryBudget: { ratio: 1, minRetriesPerWindow: 10, windowMs: 10_000 },
      breaker: { minCalls: 100, errorRate: 0.5, windowMs: 10_000, openMs: 1_000, halfOpenProbes: 1 },
      bulkhead: { maxConcurrent: 4, maxWaitMs: 1_000 },
      now: clock.now,
      random: () => 0,
    };
  }

  /**
   * A resilient layer over a pool that answers the scripted statuses in turn (429 with its
   * Retry-After), on a fake clock whose timers end `earlyMs` before the clock reaches their time:
   * what libuv's loop clock does against Date.now() on a busy loop.
   */
  function rateLimitedCaller(script: Array<{ status: number; retryAfter?: string }>, earlyMs: number) {
    const clock = fakeClock();
    const sent: number[] = [];
    const slept: number[] = [];
    const pool: UpstreamHttp = {
      async send() {
        sent.push(clock.now());
        const next = script[Math.min(sent.length - 1, script.length - 1)] ?? { status: 200 };
        const headers = next.retryAfter === undefined ? {} : { 'retry-after': next.retryAfter };
        return next.status === 200
          ? { status: 200, headers, body: { ok: true }, bodyState: 'json' }
          : { status: next.status, headers, body: null };
      },
      close: async () => {},
    };
    const http = createResilientHttp(pool, {
      ...retriesOnAFakeClock(clock),
      sleep: async (ms) => {
        slept.push(ms);
        clock.advance(Math.max(0, ms - earlyMs));
      },
    });
    const call = (rateLimitKey = 'org1|k') =>
      http.send({ method: 'GET', url: 'http://127.0.0.1:1/x', origin: 'http://127.0.0.1:1', route: 'GET /x', orgId: 'org1', rateLimitKey });
    return { http, clock, sent, slept, call };
  }

  it.each([0, 1, 7, 30, 999])(
    'is never refused by its own gate when its timer ends %i ms before the clock reaches Retry-After',
    async (earlyMs) => {
      const caller = rateLimitedCaller([{ status: 429, retryAfter: '1' }, { status: 200 }], earlyMs);

      const answer = await caller.call();

      expect(answer.status).toBe(200);
      expect(caller.sent).toHaveLength(2);
      expect(caller.slept).toEqual([1_000]);
    },
  );

  it('waits out the gate of a 429 without Retry-After, not only its backoff', async () => {
    const caller = rateLimitedCaller([{ status: 429 }, { status: 200 }], 0);

    const answer = await caller.call();

    expect(answer.status).toBe(200);
    // DEFAULT_RATE_LIMIT_MS: the gate's own second, although the backoff asked for 0 ms.
    expect(caller.slept).toEqual([1_000]);
    expect(caller.sent).toEqual([caller.sent[0], must(caller.sent[0], 'the first attempt') + 1_000]);
  });

  it('still refuses other calls of the same caller until Retry-After has passed, and lets them through after', async () => {
    const caller = rateLimitedCaller([{ status: 429, retryAfter: '2' }, { status: 200 }], 0);
    await caller.http
      .send({
        method: 'POST',
        url: 'http://127.0.0.1:1/x',
        origin: 'http://127.0.0.1:1',
        route: 'POST /x',
        orgId: 'org1',
        rateLimitKey: 'org1|k',
      })
      .catch(() => undefined);

    await expect(caller.call()).rejects.toMatchObject({ reason: 'rate_limited', retryAfterSeconds: 2 });
    // Another credential of the same org is not this caller.
    await expect(caller.call('org1|other')).resolves.toMatchObject({ status: 200 });
    caller.clock.advance(2_000);
    await expect(caller.call()).resolves.toMatchObject({ status: 200 });
  });

  it('refuses a retry whose caller a newer 429 pushed further while it waited', async () => {
    // A read and a write of one caller are in flight together. The read's 429 asks for 1 s; while
    // the read waits that out, the write's 429 arrives asking for 60 s. The read's retry is not let
    // through that newer limit.
    const clock = fakeClock();
    const sentUrls: string[] = [];
    let answerWrite: (() => void) | undefined;
    const writeAnswered = new Promise<void>((resolve) => (answerWrite = resolve));
    const pool: UpstreamHttp = {
      async send(req) {
        sentUrls.push(req.url);
        if (req.method === 'POST') {
          await new Promise<void>((resolve) => setImmediate(resolve));
          await writeAnswered;
          return { status: 429, headers: { 'retry-after': '60' }, body: null };
        }
        return sentUrls.length === 1
          ? { status: 429, headers: { 'retry-after': '1' }, body: null }
          : { status: 200, headers: {}, body: null };
      },
      close: async () => {},
    };
    let write: Promise<unknown> | undefined;
    const http = createResilientHttp(pool, {
      ...retriesOnAFakeClock(clock),
      sleep: async (ms) => {
        must(answerWrite, 'the write answer')();
        await write;
        clock.advance(ms);
      },
    });
    const org1 = { origin: 'http://127.0.0.1:1', orgId: 'org1', rateLimitKey: 'org1|k' };

    const read = http.send({ method: 'GET', url: 'http://127.0.0.1:1/r', route: 'GET /r', ...org1 });
    write = http.send({ method: 'POST', url: 'http://127.0.0.1:1/w', route: 'POST /w', ...org1 });

    await expect(read).rejects.toMatchObject({ reason: 'rate_limited', retryAfterSeconds: 59 });
    await expect(write).resolves.toMatchObject({ status: 429 });
    expect(sentUrls).toEqual(['http://127.0.0.1:1/r', 'http://127.0.0.1:1/w']);
  });
});
