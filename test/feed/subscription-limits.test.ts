// The subscription limits under bursts: subscribes that arrive together (one write on one
// WebSocket, several sockets and SSE requests of one credential at once) are admitted exactly up to
// ORDER_FEED_MAX_PER_CONNECTION and ORDER_FEED_MAX_PER_CALLER, the rest refused; and every way a
// subscription ends (complete, socket close, SSE abort, a refused credential, a variable that does
// not coerce, an invalid document) gives its place back, so new subscribes are admitted again.
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ORG1_KEY, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { connectRawWs, ORDER_EVENTS, subscribeSse, waitFor } from './feed-clients.ts';
import type { FeedError, Received } from './feed-clients.ts';

const PER_CONNECTION = 3;
const PER_CALLER = 5;
const CONNECTION_FULL = `This connection already holds ${PER_CONNECTION} subscriptions (ORDER_FEED_MAX_PER_CONNECTION).`;
const CALLER_FULL = `This caller already holds ${PER_CALLER} subscriptions (ORDER_FEED_MAX_PER_CALLER).`;

let stack: TestStack;
const open: Array<{ dispose(): unknown }> = [];

beforeAll(async () => {
  stack = await startStack({
    env: { ORDER_FEED_MAX_PER_CONNECTION: String(PER_CONNECTION), ORDER_FEED_MAX_PER_CALLER: String(PER_CALLER) },
  });
});
afterAll(() => stack.close());
afterEach(async () => {
  for (const item of open.splice(0)) await item.dispose();
  await waitFor(() => stack.gateway.feedStats().subscribers === 0 && stack.gateway.feedStats().pollers === 0, 'nobody subscribed');
});

/** A raw graphql-transport-ws peer (./feed-clients.ts), closed after each test. */
async function rawSocket(apikey: string) {
  const socket = await connectRawWs(stack.gateway.url, apikey);
  open.push(socket);
  return socket;
}

function sse(variables: Record<string, unknown> = { orgId: 'org1' }, apikey = ORG1_KEY, query = ORDER_EVENTS): Received {
  const received = subscribeSse(stack.gateway.url, { apikey }, variables, query);
  open.push(received);
  return received;
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const active = () => stack.gateway.feedStats().subscribers;

/** Until every one of `total` subscribes is either refused (ended) or active; then the two counts. */
async function settled(total: number, refused: () => number): Promise<{ active: number; refused: number }> {
  await waitFor(() => refused() + active() === total, `${total} subscribes to be admitted or refused`);
  return { active: active(), refused: refused() };
}

function refusalMessages(outcomes: Iterable<{ errors?: readonly FeedError[] } | undefined>): string[] {
  return [...outcomes].flatMap((outcome) => (outcome?.errors ?? []).map((error) => `${error.extensions?.code}: ${error.message}`));
}

describe('a burst on one WebSocket', () => {
  it.each([4, 20, 60])('of %i subscribes admits exactly ORDER_FEED_MAX_PER_CONNECTION, refusing the rest', async (count) => {
    const socket = await rawSocket(ORG1_KEY);
    const burst = ids('s', count);
    socket.subscribe(burst);

    expect(await settled(count, () => socket.ended(burst).length)).toEqual({ active: PER_CONNECTION, refused: count - PER_CONNECTION });
    expect(refusalMessages(socket.outcomes.values())).toEqual(
      Array.from({ length: count - PER_CONNECTION }, () => `TOO_MANY_SUBSCRIPTIONS: ${CONNECTION_FULL}`),
    );
  });
});

describe('a burst of one credential across connections', () => {
  it.each([
    { sockets: 4, each: 3, sse: 0 },
    { sockets: 2, each: 10, sse: 0 },
    { sockets: 0, each: 0, sse: 12 },
    { sockets: 1, each: 3, sse: 4 },
    { sockets: 3, each: 2, sse: 3 },
  ])('$sockets sockets × $each and $sse SSE requests: exactly ORDER_FEED_MAX_PER_CALLER admitted', async (burst) => {
    const sockets = await Promise.all(Array.from({ length: burst.sockets }, () => rawSocket(ORG1_KEY)));
    const perSocket = sockets.map((socket, i) => ({ socket, ids: ids(`c${i}-`, burst.each) }));
    for (const { socket, ids: burstIds } of perSocket) socket.subscribe(burstIds);
    const streams = Array.from({ length: burst.sse }, () => sse());
    const total = burst.sockets * burst.each + burst.sse;
    const refused = () =>
      perSocket.reduce((sum, { socket, ids: burstIds }) => sum + socket.ended(burstIds).length, 0) +
      streams.filter((stream) => stream.completed || stream.failure !== undefined).length;

    expect(await settled(total, refused)).toEqual({ active: PER_CALLER, refused: total - PER_CALLER });
    const messages = [
      ...refusalMessages(perSocket.flatMap(({ socket }) => [...socket.outcomes.values()])),
      ...refusalMessages(streams.map((stream) => ({ errors: stream.errors as FeedError[] }))),
    ];
    expect(messages).toHaveLength(total - PER_CALLER);
    for (const message of messages)
      expect([`TOO_MANY_SUBSCRIPTIONS: ${CONNECTION_FULL}`, `TOO_MANY_SUBSCRIPTIONS: ${CALLER_FULL}`]).toContain(message);
    // No socket holds more than its own limit, whatever the order of arrival.
    for (const { socket, ids: burstIds } of perSocket)
      expect(burstIds.length - socket.ended(burstIds).length).toBeLessThanOrEqual(PER_CONNECTION);
  });
});

/** Fills the caller's places (two sockets: 3 + 2), then shows a sixth subscribe is refused. */
async function fillCaller() {
  const first = await rawSocket(ORG1_KEY);
  const second = await rawSocket(ORG1_KEY);
  first.subscribe(ids('a', 3));
  second.subscribe(ids('b', 2));
  await waitFor(() => active() === PER_CALLER, 'the caller at its limit');
  const third = await rawSocket(ORG1_KEY);
  third.subscribe(['over']);
  await waitFor(() => third.ended(['over']).length === 1, 'the refusal past the caller limit');
  expect(refusalMessages(third.outcomes.values())).toEqual([`TOO_MANY_SUBSCRIPTIONS: ${CALLER_FULL}`]);
  return { first, second, third };
}

describe('places are given back on every way out', () => {
  it('a client complete: the socket and the caller admit a new subscribe', async () => {
    const { first, third } = await fillCaller();
    first.complete('a0');
    await waitFor(() => active() === PER_CALLER - 1, 'the completed subscription to end');
    first.subscribe(['again']);
    await waitFor(() => active() === PER_CALLER, 'the new subscription');
    expect(first.ended(['again', 'a1', 'a2'])).toEqual([]);
    third.subscribe(['still-over']);
    await waitFor(() => third.ended(['still-over']).length === 1, 'the caller full again');
    expect(refusalMessages([third.outcomes.get('still-over')])).toEqual([`TOO_MANY_SUBSCRIPTIONS: ${CALLER_FULL}`]);
  });

  it('a socket close: its places go back to the caller', async () => {
    const { first } = await fillCaller();
    await first.dispose();
    await waitFor(() => active() === 2, 'the closed socket’s subscriptions to end');
    const next = await rawSocket(ORG1_KEY);
    next.subscribe(ids('n', 3));
    await waitFor(() => active() === PER_CALLER, 'three new subscriptions');
    expect(next.ended(ids('n', 3))).toEqual([]);
  });

  it('an SSE request that the client aborts', async () => {
    const streams = Array.from({ length: PER_CALLER }, () => sse());
    await waitFor(() => active() === PER_CALLER, 'the caller at its limit');
    const [aborted] = streams;
    aborted?.dispose();
    await waitFor(() => active() === PER_CALLER - 1, 'the aborted stream to end');
    const again = sse();
    await waitFor(() => active() === PER_CALLER, 'the new stream');
    expect(again.errors).toEqual([]);
  });

  it.each([
    ['a credential PharmaOne refuses for the org', ORG2_KEY, { orgId: 'org1' }, ORDER_EVENTS, 'UNAUTHENTICATED'],
    ['a variable that does not coerce', ORG1_KEY, { orgId: 'org1', statuses: ['NOPE'] }, ORDER_EVENTS, 'BAD_USER_INPUT'],
    ['a required variable missing', ORG1_KEY, {}, ORDER_EVENTS, 'BAD_USER_INPUT'],
    ['a malformed cursor', ORG1_KEY, { orgId: 'org1', after: 'nope' }, ORDER_EVENTS, 'BAD_USER_INPUT'],
    [
      'an invalid document',
      ORG1_KEY,
      { orgId: 'org1' },
      'subscription { orderEvents(orgId: "org1") { nope } }',
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ])('%s, over WebSocket and SSE, round after round', async (_what, apikey, variables, query, code) => {
    // Three rounds, each as many failures at once as the caller may hold: a place kept by a
    // failure would refuse the next round's subscribes with TOO_MANY_SUBSCRIPTIONS.
    const socket = await rawSocket(apikey);
    const codes: string[] = [];
    for (const round of [1, 2, 3]) {
      const failing = ids(`f${round}-`, PER_CONNECTION);
      socket.subscribe(failing, variables, query);
      const streams = Array.from({ length: PER_CALLER - PER_CONNECTION }, () => sseToTheEnd(variables, apikey, query));
      await waitFor(() => socket.ended(failing).length === failing.length, 'the WebSocket failures');
      codes.push(...failing.map((id) => String(socket.outcomes.get(id)?.errors?.[0]?.extensions?.code)));
      for (const errors of await Promise.all(streams)) codes.push(String(errors[0]?.extensions?.code));
    }
    expect(codes).toEqual(Array.from({ length: 3 * PER_CALLER }, () => code));
    expect(active()).toBe(0);

    // The same socket and credential are admitted up to both limits again.
    const admitted = ids('ok', PER_CONNECTION);
    const okVariables = { orgId: apikey === ORG2_KEY ? 'org2' : 'org1' };
    socket.subscribe(admitted, okVariables);
    const others = Array.from({ length: PER_CALLER - PER_CONNECTION }, () => sse(okVariables, apikey));
    await waitFor(() => active() === PER_CALLER, 'the caller’s places, all free again');
    expect(socket.ended(admitted)).toEqual([]);
    for (const stream of others) expect(stream.errors).toEqual([]);
  });
});

/** An SSE subscription that is expected to end: its errors, from a refused request's body or its results. */
async function sseToTheEnd(variables: Record<string, unknown>, apikey: string, query: string): Promise<FeedError[]> {
  const res = await request(stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'), {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', apikey },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) return (JSON.parse(text) as { errors: FeedError[] }).errors;
  return text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .flatMap((line) => (JSON.parse(line.slice('data: '.length)) as { errors?: FeedError[] }).errors ?? []);
}
