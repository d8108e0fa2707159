// Pure unit tests of what counts as a refusal, the per-operation exchange queue, and the broker's
// refusal memory with a fleet store (an in-process map standing in for Redis; the real one is
// tested in test/fleet/token-refusals.test.ts).
import { describe, expect, it } from 'vitest';
import { createExchangeQueues } from '../../src/upstream/exchange-queue.ts';
import { createUpstreamSession } from '../../src/upstream/upstream-session.ts';
import { createTokenBroker } from '../../src/upstream/token-broker.ts';
import type { IntegrationToken, TokenScope } from '../../src/upstream/token-broker.ts';
import { refusalOf } from '../../src/upstream/token-refusals.ts';
import type { Refusal, SharedRefusals } from '../../src/upstream/token-refusals.ts';
import type { UnavailableReason } from '../../src/upstream/upstream-errors.ts';
import { TokenExchangeLimitError, UpstreamStatusError, UpstreamUnavailableError } from '../../src/upstream/upstream-errors.ts';

const TOKEN_LABEL = 'POST /auth/token';
const statusError = (status: number, route = TOKEN_LABEL) => new UpstreamStatusError({ status, route });
const unavailable = (reason: UnavailableReason) => new UpstreamUnavailableError({ route: TOKEN_LABEL, reason, mayHaveArrived: false });

describe('refusalOf', () => {
  it.each([401, 403])('a %i to the token exchange is a refusal', (status) => {
    expect(refusalOf(statusError(status))).toEqual({ status });
  });

  it.each<[string, unknown]>([
    ...[400, 404, 405, 409, 410, 422, 429, 500, 501, 502, 503, 504].map((status): [string, unknown] => [
      `status ${status}`,
      statusError(status),
    ]),
    ...(
      [
        'connect',
        'timeout',
        'reset',
        'invalid_response',
        'aborted',
        'deadline',
        'rate_limited',
        'too_large',
        'circuit_open',
        'overloaded',
      ] as const
    ).map((reason): [string, unknown] => [`unavailable: ${reason}`, unavailable(reason)]),
    ['a 401 to another route (a revoked JWT)', statusError(401, 'GET /shops')],
    ['the exchange limit', new TokenExchangeLimitError(5)],
    ['a plain error', new Error('boom')],
    ['not an error', '401'],
  ])('%s is no refusal', (_, error) => {
    expect(refusalOf(error)).toBeNull();
  });
});

/** A lookup the test settles by hand, recording when it started. */
function deferred(started: string[], name: string) {
  let settle!: { resolve: (value: string) => void; reject: (error: unknown) => void };
  const promise = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return {
    run: () => {
      started.push(name);
      return promise;
    },
    ...settle,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('exchange queue', () => {
  it("runs a credential's lookups one at a time; other credentials do not wait", async () => {
    const started: string[] = [];
    const queueOf = createExchangeQueues();
    const [one, two, other] = [deferred(started, 'a:1'), deferred(started, 'a:2'), deferred(started, 'b:1')];
    const results = [queueOf('a').run(one.run), queueOf('a').run(two.run), queueOf('b').run(other.run)];
    await flush();
    expect(started).toEqual(['a:1', 'b:1']);

    one.resolve('t1');
    await flush();
    expect(started).toEqual(['a:1', 'b:1', 'a:2']);
    two.resolve('t2');
    other.resolve('t3');
    await expect(Promise.all(results)).resolves.toEqual(['t1', 't2', 't3']);
  });

  it.each([401, 403])('after a %i, the queued lookups and later ones are refused with the same status without running', async (status) => {
    const started: string[] = [];
    const queue = createExchangeQueues()('a');
    const [first, second] = [deferred(started, '1'), deferred(started, '2')];
    const results = [queue.run(first.run), queue.run(second.run)];
    first.reject(statusError(status));

    await expect(results[0]).rejects.toMatchObject({ status });
    await expect(results[1]).rejects.toMatchObject({ status, route: TOKEN_LABEL });
    await expect(queue.run(async () => 'never')).rejects.toMatchObject({ status });
    expect(started).toEqual(['1']);
  });

  it.each([
    ['a 503', statusError(503)],
    ['a 404', statusError(404)],
    ['a timeout', unavailable('timeout')],
    ['the exchange limit', new TokenExchangeLimitError(5)],
  ])('after %s the next lookup runs', async (_, error) => {
    const queue = createExchangeQueues()('a');
    const failed = queue.run(() => Promise.reject(error));
    const next = queue.run(async () => 'token');
    await expect(failed).rejects.toBe(error);
    await expect(next).resolves.toBe('token');
  });

  it('learns a refusal the broker remembered, synchronously', async () => {
    const queue = createExchangeQueues()('a');
    queue.refused({ status: 401 });
    await expect(queue.run(async () => 'never')).rejects.toMatchObject({ status: 401 });
  });
});

const scope = (orgId: string, apiKey = 'bad-key'): TokenScope => ({ baseUrl: 'https://manager.example', orgId, apiKey });

/** An in-process fleet store shared by two brokers (two replicas). */
function sharedMap(): SharedRefusals & { entries: Map<string, Refusal> } {
  const entries = new Map<string, Refusal>();
  return {
    entries,
    get: async (key) => {
      const refusal = entries.get(key);
      return refusal ? { refusal, ttlMs: 10_000 } : undefined;
    },
    set: async (key, refusal) => {
      entries.set(key, refusal);
    },
  };
}

function replica(shared: SharedRefusals | undefined, clock: { now: number }, refuse: (s: TokenScope) => boolean) {
  const exchanges: string[] = [];
  const broker = createTokenBroker({
    now: () => clock.now,
    refreshMarginMs: 0,
    maxEntries: 100,
    negativeTtlMs: 30_000,
    sharedRefusals: shared,
    exchange: async (s): Promise<IntegrationToken> => {
      exchanges.push(`${s.orgId}/${s.apiKey}`);
      if (refuse(s)) throw statusError(401);
      return { accessToken: 't', orgId: s.orgId, scopes: [], issuedAtMs: clock.now, expiresAtMs: clock.now + 3_600_000 };
    },
  });
  return { broker, exchanges };
}

describe('token broker refusal memory with a fleet store', () => {
  it('a refusal one replica met is answered by another without an exchange, and never keyed by the key', async () => {
    const shared = sharedMap();
    const clock = { now: 0 };
    const [a, b] = [replica(shared, clock, () => true), replica(shared, clock, () => true)];

    await expect(a.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });
    await expect(b.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });
    await expect(b.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });

    expect(a.exchanges).toEqual(['org1/bad-key']);
    expect(b.exchanges).toEqual([]);
    expect([...shared.entries.keys()].join()).not.toContain('bad-key');
  });

  it('keeps a refusal met through the fleet store for the time the store says it has left', async () => {
    const shared = sharedMap(); // says 10 s left, whatever was stored
    const clock = { now: 0 };
    let refuse = true;
    const [a, b] = [replica(shared, clock, () => refuse), replica(shared, clock, () => refuse)];
    await expect(a.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });
    await expect(b.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });

    refuse = false;
    shared.entries.clear();
    clock.now += 9_999;
    await expect(b.broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });
    clock.now += 2;
    await expect(b.broker.getToken(scope('org1'))).resolves.toMatchObject({ cached: false });
    expect(b.exchanges).toEqual(['org1/bad-key']);
  });

  it('a refusal it remembers is reported to the lookup’s queue before the lookup settles', async () => {
    const clock = { now: 0 };
    const { broker } = replica(undefined, clock, () => true);
    await expect(broker.getToken(scope('org1'))).rejects.toMatchObject({ status: 401 });

    const queue = createExchangeQueues()('credential');
    const lookup = broker.getToken(scope('org1'), { queue });
    // Before any await: the next org's lookup in the same operation is refused without an exchange.
    const next = queue.run(async () => 'never');
    await expect(lookup).rejects.toMatchObject({ status: 401 });
    await expect(next).rejects.toMatchObject({ status: 401 });
  });
});

describe("an operation's session", () => {
  it('starts no exchange for a queued org once the operation’s deadline has passed', async () => {
    const exchanged: string[] = [];
    let finishOrg1!: (token: IntegrationToken) => void;
    const broker = createTokenBroker({
      refreshMarginMs: 0,
      maxEntries: 10,
      exchange: (s) => {
        exchanged.push(s.orgId);
        return new Promise<IntegrationToken>((resolve) => {
          finishOrg1 = resolve;
        });
      },
    });
    const controller = new AbortController();
    const session = createUpstreamSession({
      deps: {
        http: { send: () => Promise.reject(new Error('no HTTP here')), close: async () => {} },
        broker,
        baseUrl: 'https://manager.example',
        shopUrlTemplate: undefined,
      },
      credentials: { credentialFor: () => 'one-key-for-both' },
      deadline: { signal: controller.signal, expiresAt: Date.now() + 60_000 },
    });

    const org1 = session.token('org1');
    const org2 = session.token('org2');
    await flush();
    controller.abort();
    await expect(org1).rejects.toMatchObject({ reason: 'deadline' });
    await expect(org2).rejects.toMatchObject({ reason: 'deadline' });
    // org1's exchange is shared with other requests, so it finishes; org2's turn comes after it.
    finishOrg1({ accessToken: 't', orgId: 'org1', scopes: [], issuedAtMs: Date.now(), expiresAtMs: Date.now() + 3_600_000 });
    await flush();

    expect(exchanged).toEqual(['org1']);
  });
});
