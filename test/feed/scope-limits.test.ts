// The cap on the scopes one replica watches (ORDER_FEED_MAX_SCOPES) under bursts: subscribes that
// need a new scope are admitted exactly up to the cap and the rest refused with
// TOO_MANY_SUBSCRIPTIONS naming it, whatever their number and order; joiners of a watched scope
// are admitted at the cap; a scope's place goes back with its last subscriber. The sandbox has
// three credential and org pairs, so three scopes: (org1, org1 key), (org1, read-only key),
// (org2, org2 key). And the windows of ended scopes kept for `after` are capped
// (ORDER_FEED_MAX_ENDED_SCOPES): a cursor of an ended scope dropped past it is expired.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { connectRawWs, orderInput, SUBMIT_ORDER, waitFor } from './feed-clients.ts';
import type { FeedError, RawOutcome, SubmitOrderData } from './feed-clients.ts';

const MAX_SCOPES = 2;
const SCOPES_FULL = `This gateway already watches ${MAX_SCOPES} order feeds (an org and credential each; ORDER_FEED_MAX_SCOPES): subscribe again later.`;
/** The sandbox's scopes: a key and the org it reads. */
const SCOPES = [
  { apikey: ORG1_KEY, orgId: 'org1', shopId: 'shop1' },
  { apikey: ORG1_READONLY_KEY, orgId: 'org1', shopId: 'shop1' },
  { apikey: ORG2_KEY, orgId: 'org2', shopId: 'shop3' },
] as const;

let stack: TestStack;
const open: Array<{ dispose(): Promise<void> }> = [];

beforeAll(async () => {
  stack = await startStack({
    env: { ORDER_FEED_MAX_SCOPES: String(MAX_SCOPES), ORDER_FEED_MAX_ENDED_SCOPES: '1', ORDER_FEED_MAX_PER_CONNECTION: '100' },
  });
});
afterAll(() => stack.close());
afterEach(async () => {
  for (const item of open.splice(0)) await item.dispose();
  await waitFor(() => stats().subscribers === 0 && stats().scopes === 0 && stats().pollers === 0, 'nobody subscribed');
});

const stats = () => stack.gateway.feedStats();

/** A raw graphql-transport-ws peer (./feed-clients.ts), closed after each test. */
async function rawSocket(apikey: string) {
  const socket = await connectRawWs(stack.gateway.url, apikey);
  open.push(socket);
  return socket;
}

/** Errors as `CODE: message`. */
const said = (errors: readonly FeedError[] = []) => errors.map((error) => `${error.extensions?.code}: ${error.message}`);
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('a burst of subscribes to more scopes than the cap', () => {
  it.each([
    { sockets: 3, each: 1 },
    { sockets: 3, each: 8 },
    { sockets: 6, each: 5 },
    { sockets: 9, each: 3 },
  ])(
    '$sockets sockets (scopes in turn) × $each subscribes: exactly ORDER_FEED_MAX_SCOPES scopes, all their subscribers admitted',
    async (burst) => {
      const sockets = await Promise.all(
        Array.from({ length: burst.sockets }, async (_, i) => {
          const scope = must(SCOPES[i % SCOPES.length], 'a scope');
          return { scope, socket: await rawSocket(scope.apikey), ids: ids(`s${i}-`, burst.each) };
        }),
      );
      for (const { socket, scope, ids: burstIds } of sockets) socket.subscribe(burstIds, { orgId: scope.orgId });
      const total = burst.sockets * burst.each;
      const refused = () => sockets.reduce((sum, { socket, ids: burstIds }) => sum + socket.ended(burstIds).length, 0);
      await waitFor(() => refused() + stats().subscribers === total, `${total} subscribes to be admitted or refused`);

      expect(stats().scopes).toBe(MAX_SCOPES);
      // Per scope: every one of its subscribes admitted, or every one refused with the cap's message.
      const byScope = new Map<string, { admitted: number; refusals: string[] }>();
      for (const { socket, scope, ids: burstIds } of sockets) {
        const entry = byScope.get(scope.apikey) ?? { admitted: 0, refusals: [] };
        byScope.set(scope.apikey, entry);
        entry.admitted += burstIds.length - socket.ended(burstIds).length;
        entry.refusals.push(
          ...burstIds.flatMap((id) =>
            (socket.outcomes.get(id)?.errors ?? []).map((error) => `${error.extensions?.code}: ${error.message}`),
          ),
        );
      }
      const watched = [...byScope.values()].filter((entry) => entry.admitted > 0);
      expect(watched).toHaveLength(MAX_SCOPES);
      for (const entry of watched) expect(entry.refusals).toEqual([]);
      const [shut, ...more] = [...byScope.values()].filter((entry) => entry.admitted === 0);
      expect(more).toEqual([]);
      expect(must(shut, 'the scope past the cap').refusals).toEqual(
        Array.from({ length: total / SCOPES.length }, () => `TOO_MANY_SUBSCRIPTIONS: ${SCOPES_FULL}`),
      );
    },
  );
});

/** Two scopes watched (org1 key, org2 key): the cap. */
async function atTheCap() {
  const first = await rawSocket(ORG1_KEY);
  const second = await rawSocket(ORG2_KEY);
  first.subscribe(['a'], { orgId: 'org1' });
  second.subscribe(['b'], { orgId: 'org2' });
  await waitFor(() => stats().subscribers === 2, 'two scopes watched');
  expect(stats().scopes).toBe(MAX_SCOPES);
  return { first, second };
}

describe('at the cap', () => {
  it('a burst joining the watched scopes is admitted; a new scope is refused', async () => {
    await atTheCap();
    const joiners = await rawSocket(ORG1_KEY);
    const other = await rawSocket(ORG2_KEY);
    const outside = await rawSocket(ORG1_READONLY_KEY);
    joiners.subscribe(ids('j', 10), { orgId: 'org1' });
    other.subscribe(ids('o', 10), { orgId: 'org2' });
    outside.subscribe(ids('x', 4), { orgId: 'org1' });
    await waitFor(() => stats().subscribers === 22 && outside.ended(ids('x', 4)).length === 4, 'joiners in, the new scope refused');

    expect(stats().scopes).toBe(MAX_SCOPES);
    expect([...joiners.ended(ids('j', 10)), ...other.ended(ids('o', 10))]).toEqual([]);
    expect(ids('x', 4).flatMap((id) => said(outside.outcomes.get(id)?.errors))).toEqual(
      Array.from({ length: 4 }, () => `TOO_MANY_SUBSCRIPTIONS: ${SCOPES_FULL}`),
    );
  });

  it.each([
    ['its last subscriber completes', (s: Awaited<ReturnType<typeof atTheCap>>) => s.second.complete('b')],
    ['its socket closes', (s: Awaited<ReturnType<typeof atTheCap>>) => void s.second.dispose()],
  ])('a scope’s place goes back when %s', async (_what, end) => {
    const sockets = await atTheCap();
    end(sockets);
    await waitFor(() => stats().scopes === MAX_SCOPES - 1 && stats().subscribers === 1, 'the scope to end');
    const next = await rawSocket(ORG1_READONLY_KEY);
    next.subscribe(['n'], { orgId: 'org1' });
    await waitFor(() => stats().subscribers === 2, 'the new scope');
    expect(stats().scopes).toBe(MAX_SCOPES);
    expect(next.ended(['n'])).toEqual([]);
  });
});

describe('windows of ended scopes (ORDER_FEED_MAX_ENDED_SCOPES = 1)', () => {
  /** A gateway write in `scope`'s org, which publishes its event to the writer's scope at once. */
  async function write(scope: (typeof SCOPES)[number]): Promise<void> {
    const res = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput(scope.orgId, scope.shopId) }, { apikey: scope.apikey });
    expect(dataOf(res).submitOrderRequest.orderRequest.orderId).toBeTruthy();
  }

  /** A subscription to `scope` with one event of a gateway write, then ended: the event's cursor. */
  async function endedWithCursor(scope: (typeof SCOPES)[number]): Promise<string> {
    const socket = await rawSocket(scope.apikey);
    socket.subscribe(['w'], { orgId: scope.orgId });
    // The poller starts once the scope's bus listener is live: no event after it is missed.
    await waitFor(() => stats().pollers === 1, 'the scope watched');
    await write(scope);
    await waitFor(() => (socket.outcomes.get('w')?.events.length ?? 0) > 0, 'the write’s event');
    const cursor = must(socket.outcomes.get('w')?.events.at(-1), 'an event').cursor;
    await socket.dispose();
    await waitFor(() => stats().scopes === 0 && stats().pollers === 0, 'the scope to end');
    return cursor;
  }

  /** Resumes `scope` after `cursor`: refused, or admitted and then given a live event (so its replay is done). */
  async function resume(scope: (typeof SCOPES)[number], after: string): Promise<RawOutcome> {
    const socket = await rawSocket(scope.apikey);
    socket.subscribe(['r'], { orgId: scope.orgId, after });
    await waitFor(() => socket.outcomes.get('r')?.ended === true || stats().pollers === 1, 'the resume refused or watching');
    const outcome = () => must(socket.outcomes.get('r') ?? { errors: [], events: [], ended: false }, 'the outcome');
    if (outcome().ended) return outcome();
    await write(scope);
    await waitFor(() => outcome().events.length > 0 || outcome().ended, 'a live event after the replay');
    return outcome();
  }

  it('keep the one that ended last; an older one’s cursor is expired', async () => {
    const first = must(SCOPES[0], 'org1 scope');
    const second = must(SCOPES[2], 'org2 scope');
    const early = await endedWithCursor(first);
    const late = await endedWithCursor(second);

    const kept = await resume(second, late);
    expect(kept).toMatchObject({ errors: [], ended: false });
    expect(kept.events.length).toBeGreaterThan(0);
    for (const item of open.splice(0)) await item.dispose();
    await waitFor(() => stats().subscribers === 0 && stats().scopes === 0, 'the resume to end');

    const expired = await resume(first, early);
    expect(expired.errors.map((error) => error.extensions?.code)).toEqual(['CURSOR_EXPIRED']);
  });
});
