// A small chaos run (the full one is `npm run chaos`): 5% 503s, 1% resets and 20–200 ms jitter on
// every upstream call, concurrent clients mixing reads and keyed order submissions. No key may
// make two orders, no acknowledged order may be missing, reads must stay under 0.5% errors and
// retries inside the budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosViolations, runChaos } from '../../bench/lib/chaos.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

let stack: TestStack;
beforeAll(async () => {
  // A few hundred reads cannot show a 0.5% rate at three attempts (one unlucky read is 0.3–1%);
  // four attempts keep this small run meaningful. `npm run chaos` uses the defaults.
  stack = await startStack({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '4' } });
});
afterAll(() => stack.close());

describe('chaos', () => {
  it('keeps every keyed order exactly once, loses no acknowledged write, and keeps reads and retries within bounds', async () => {
    const report = await runChaos({
      gatewayUrl: stack.gateway.url,
      sandboxUrl: stack.sandbox.url,
      durationMs: 6_000,
      clients: 6,
      writeShare: 0.25,
      retryBudget: { ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10_000 },
    });
    console.log(JSON.stringify(report));

    expect(chaosViolations(report)).toEqual([]);
    expect(report.writes.acknowledged).toBeGreaterThan(10);
    expect(report.reads.total).toBeGreaterThan(50);
    expect(report.upstream.retries).toBeGreaterThan(0);
  });
});
