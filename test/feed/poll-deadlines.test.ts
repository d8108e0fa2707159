// A poll's deadline leaves the shared deadline clock when the poll's read is over, as a request's
// does when its answer is sent: a watched scope polled every ORDER_FEED_POLL_MS does not keep one
// AbortController per poll until each deadline passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineClock } from '../../src/upstream/resilience/deadline-clock.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { connectWs } from './feed-clients.ts';
import type { FeedWsConnection } from './feed-clients.ts';

const POLLS = 30;

describe('a watched scope polled many times', () => {
  let stack: TestStack;
  let connection: FeedWsConnection;
  beforeAll(async () => {
    // A poll every 50 ms; each poll's deadline (the smaller of OPERATION_DEADLINE_MS and the backoff
    // cap) is a minute away, so every deadline a poll left on the clock would still be there.
    stack = await startStack({ env: { ORDER_FEED_POLL_MS: '50', ORDER_FEED_MAX_BACKOFF_MS: '60000', OPERATION_DEADLINE_MS: '60000' } });
    connection = connectWs(stack.gateway.url, { apikey: 'sandbox-org1-key' });
    connection.subscribe({ orgId: 'org1' });
  });
  afterAll(async () => {
    await connection?.dispose();
    await stack?.close();
  });

  it('holds no deadline on the clock for the polls that are over', async () => {
    const started = Date.now();
    while (stack.gateway.feedStats().polls < POLLS) {
      if (Date.now() - started > 30_000) throw new Error(`only ${stack.gateway.feedStats().polls} polls in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // At most the poll under way, and the subscribe's own operation (its authorization's read).
    expect(deadlineClock.pending).toBeLessThanOrEqual(2);
  });
});
