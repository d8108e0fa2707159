// The runnable examples as a reader runs them, `npm run example:…`, against a gateway + sandbox:
// the typed client prints the dashboard, the keyed mutation writes once however often it is sent,
// and the live feed resumes after a disconnect with exactly the event it missed.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectWs, orderInput, SUBMIT_ORDER, UPDATE_STATUS, waitFor } from '../feed/feed-clients.ts';
import type { SubmitOrderData, UpdateStatusData } from '../feed/feed-clients.ts';
import { dataOf, ORG1_KEY, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let stack: TestStack;
const running: Array<ChildProcessByStdio<Writable, Readable, Readable>> = [];

beforeAll(async () => {
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
});
afterAll(() => stack?.close());
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `npm run -s <script>` against the test gateway; `output()` is its stdout so far, `exit` its code. */
function runExample(script: string, env: Record<string, string> = {}) {
  const child = spawn('npm', ['run', '-s', script], {
    cwd: root,
    env: { ...process.env, GATEWAY_URL: stack.gateway.url, PHARMAONE_APIKEY: ORG1_KEY, PHARMAONE_ORG: 'org1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, output: () => stdout, errors: () => stderr, lines: () => stdout.trimEnd().split('\n') };
}

async function newOrder(): Promise<string> {
  return dataOf(await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput('org1', 'shop1') })).submitOrderRequest.orderRequest
    .orderId;
}

async function moveTo(orderId: string, status: string): Promise<void> {
  const res = await stack.gql<UpdateStatusData>(UPDATE_STATUS, { input: { orgId: 'org1', orderId, status } });
  expect(dataOf(res).updateOrderStatus.userErrors).toEqual([]);
}

describe('npm run example:client', () => {
  it('prints the dashboard and the newest orders', { timeout: 60_000 }, async () => {
    const run = runExample('example:client');
    expect(await run.exit).toBe(0);
    expect(run.errors()).toBe('');
    expect(run.lines().slice(0, 3)).toEqual([
      'prescriptions: 961 (174 pending)',
      expect.stringMatching(/^Demo Shop DEV: \d+ orders, €\d+\.\d{2}$/),
      expect.stringMatching(/^Stadt-Apotheke Demo: \d+ orders, €\d+\.\d{2}$/),
    ]);
    expect(run.lines().slice(3)).toHaveLength(3);
    for (const line of run.lines().slice(3)) expect(line).toMatch(/^ORD_\w+ [A-Z_]+ €\d+\.\d{2}: \d+× /);
  });
});

describe('npm run example:keyed-mutation', () => {
  it('submits once, replays the outcome to the retry, and refuses the key for another input', { timeout: 60_000 }, async () => {
    stack.sandbox.calls.clear();
    const run = runExample('example:keyed-mutation');
    expect(await run.exit).toBe(0);
    expect(run.errors()).toBe('');

    const [first, retry, verdict, reused] = run.lines();
    const outcome = /^first attempt: order request (REQ_\w+) \(order (ORD_\w+)\)$/.exec(first ?? '');
    expect(outcome).not.toBeNull();
    expect(retry).toBe(`retry, same key: order request ${outcome?.[1]} (order ${outcome?.[2]})`);
    expect(verdict).toBe('the retry replayed the first outcome: one order, not two');
    expect(reused).toBe(
      'same key, other input: refused, IDEMPOTENCY_KEY_REUSED: This idempotencyKey was already used with a different input. Nothing was sent; use a new key for a new request.',
    );
    expect(run.lines()).toHaveLength(4);
    expect(restCalls(stack.sandbox).filter((call) => call.startsWith('POST /order-requests'))).toEqual(['POST /order-requests']);
  });
});

describe('npm run example:live-feed', () => {
  it('shows a live event over WebSocket, then, resumed over SSE with after, the event missed while away', { timeout: 90_000 }, async () => {
    const [missedWhileAway, seenLive] = [await newOrder(), await newOrder()];
    // Another subscriber keeps the org watched while the example is away, so the change it misses
    // is published into the resume window.
    const keeperConnection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
    const keeper = keeperConnection.subscribe({ orgId: 'org1' });
    try {
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the keeper');
      const polls = stack.gateway.feedStats().polls;
      // After two polls the feed has its baseline: what comes next is only the changes below.
      await waitFor(() => stack.gateway.feedStats().polls >= polls + 2, 'two polls');

      const run = runExample('example:live-feed', { LIVE_FEED_EVENTS: '1' });
      // A process start (npm, then node) under load: the timeouts only turn a hang into a failure.
      await waitFor(() => stack.gateway.feedStats().subscribers === 2, 'the example subscribed over WebSocket', 25_000);
      await moveTo(seenLive, 'AWAITING_PACKING');
      await waitFor(() => run.output().includes('press Enter to resume'), 'the example to disconnect', 25_000);
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the example gone');

      await moveTo(missedWhileAway, 'CANCELLED');
      await waitFor(() => keeper.events.some((event) => event.order.id === missedWhileAway), 'the change while away');
      run.child.stdin.end('\n');
      expect(await run.exit).toBe(0);

      const cursor = keeper.events.find((event) => event.order.id === seenLive)?.cursor;
      expect(run.errors()).toBe('');
      expect(run.lines()).toEqual([
        'watching org1 over WebSocket (graphql-ws)',
        `[ws] STATUS_CHANGED ${seenLive} PENDING → AWAITING_PACKING (Demo Shop DEV)`,
        `disconnected after ${cursor}; press Enter to resume`,
        `resuming over SSE (graphql-sse) after ${cursor}`,
        `[sse] STATUS_CHANGED ${missedWhileAway} PENDING → CANCELLED (Demo Shop DEV)`,
      ]);
    } finally {
      await keeperConnection.dispose();
    }
  });
});
