// Pure unit tests of a session's token lookup answered from the broker's memory (issue 25): a
// session over a broker with `cachedToken` must do exactly what the same session does over the same
// broker asked through getToken alone (the path every lookup took before): the same token or error,
// the same trace, the same exchanges, the same refusal told to the operation's exchange queue.
// Each scenario runs twice on worlds built alike, once per path, and the two records are compared.
import { describe, expect, it } from 'vitest';
import { OrgNotGrantedError } from '../../src/auth/auth-errors.ts';
import { createTokenBroker } from '../../src/upstream/token-broker.ts';
import type { UpstreamHttp } from '../../src/upstream/http.ts';
import type { IntegrationToken, TokenBroker } from '../../src/upstream/token-broker.ts';
import { UpstreamStatusError } from '../../src/upstream/upstream-errors.ts';
import type { UpstreamCallRecord } from '../../src/upstream/upstream-session.ts';
import { createUpstreamSession } from '../../src/upstream/upstream-session.ts';

const BASE_URL = 'https://manager.example/api';
const LIFETIME_MS = 3_600_000;

/** A broker whose exchange refuses orgs named `refused…` (401) and is counted; a clock the test moves. */
function world() {
  let clock = 1_000_000;
  const exchanged: string[] = [];
  const broker = createTokenBroker({
    now: () => clock,
    refreshMarginMs: 60_000,
    maxEntries: 100,
    exchange: async (scope): Promise<IntegrationToken> => {
      exchanged.push(scope.orgId);
      if (scope.orgId.startsWith('refused')) throw new UpstreamStatusError({ status: 401, route: 'POST /auth/token' });
      return {
        accessToken: `jwt-${exchanged.length}`,
        orgId: scope.orgId,
        scopes: ['shops:read'],
        issuedAtMs: clock,
        expiresAtMs: clock + LIFETIME_MS,
      };
    },
  });
  return { broker, exchanged, advance: (ms: number) => (clock += ms) };
}

type Path = 'fast' | 'getToken only';

/** The broker as the session sees it: with its sync answer, or without (every lookup through getToken), getToken counted. */
function asSeen(broker: Required<TokenBroker>, path: Path, lookups: string[]): TokenBroker {
  const getToken: TokenBroker['getToken'] = (scope, hooks) => {
    lookups.push(scope.orgId);
    return broker.getToken(scope, hooks);
  };
  const seen = { getToken, invalidate: broker.invalidate, heldTokens: broker.heldTokens, sizes: broker.sizes };
  return path === 'fast' ? { ...seen, cachedToken: broker.cachedToken } : seen;
}

const NO_HTTP: UpstreamHttp = { send: () => Promise.reject(new Error('no HTTP here')), close: async () => {} };

function sessionOf(
  broker: TokenBroker,
  options: { deadline?: AbortController; credentialFor?: (orgId: string) => string; http?: UpstreamHttp } = {},
) {
  const trace: UpstreamCallRecord[] = [];
  const session = createUpstreamSession({
    deps: { http: options.http ?? NO_HTTP, broker, baseUrl: BASE_URL, shopUrlTemplate: undefined },
    credentials: { credentialFor: options.credentialFor ?? (() => 'key-of-the-caller') },
    trace,
    ...(options.deadline ? { deadline: { signal: options.deadline.signal, expiresAt: Date.now() + 60_000 } } : {}),
  });
  return { session, trace };
}

async function outcome(lookup: () => Promise<unknown>): Promise<unknown> {
  try {
    const answer = await lookup();
    return { token: (answer as IntegrationToken).accessToken };
  } catch (error) {
    const e = error as Error & { status?: unknown; reason?: unknown };
    return { error: e.constructor.name, message: e.message, status: e.status, reason: e.reason };
  }
}

/** The trace without the time of an exchange another request ran (a cached token's is 0 on both paths). */
const traced = (trace: UpstreamCallRecord[]) => trace.map((entry) => ({ ...entry, ms: entry.cached && entry.ms === 0 ? 0 : 'elapsed' }));

interface Scenario {
  name: string;
  run(path: Path): Promise<{ record: unknown; lookups: string[] }>;
  /** What getToken sees on the fast path. */
  fastLookups: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a fresh cached token: served, traced once per org, no exchange',
    fastLookups: [],
    async run(path) {
      const w = world();
      await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' });
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
      const results = [await outcome(() => session.token('org1')), await outcome(() => session.token('org1'))];
      const [a, b] = [session.token('org1'), session.token('org1')];
      return { record: { results, same: a === b, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'two orgs cached, one request: each traced once, in the order asked',
    fastLookups: [],
    async run(path) {
      const w = world();
      for (const orgId of ['org1', 'org2']) await w.broker.getToken({ baseUrl: BASE_URL, orgId, apiKey: 'key-of-the-caller' });
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
      const results = await Promise.all(['org2', 'org1', 'org2'].map((orgId) => outcome(() => session.token(orgId))));
      return { record: { results, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'a token due for refresh: exchanged again, as before',
    fastLookups: ['org1'],
    async run(path) {
      const w = world();
      await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' });
      w.advance(LIFETIME_MS);
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
      const results = [await outcome(() => session.token('org1')), await outcome(() => session.token('org1'))];
      return { record: { results, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'nothing cached: exchanged once for concurrent fields',
    fastLookups: ['org1'],
    async run(path) {
      const w = world();
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
      const results = await Promise.all([outcome(() => session.token('org1')), outcome(() => session.token('org1'))]);
      return { record: { results, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'a remembered refusal: the same error, and the queue told (the next org of the key is refused without an exchange)',
    fastLookups: ['org2'],
    async run(path) {
      const w = world();
      await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'refused1', apiKey: 'key-of-the-caller' }).catch(() => undefined);
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
      const first = await outcome(() => session.token('refused1'));
      const again = await outcome(() => session.token('refused1'));
      const otherOrg = await outcome(() => session.token('org2'));
      return { record: { first, again, otherOrg, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'PharmaOne refused the token while another request cached a newer one: the newer one served, traced once',
    fastLookups: [],
    async run(path) {
      const w = world();
      const scope = { baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' };
      await w.broker.getToken(scope);
      const sentWith: unknown[] = [];
      const http: UpstreamHttp = {
        send: async (request) => {
          sentWith.push(request.headers?.authorization);
          if (sentWith.length === 1) {
            // Another request refreshes the token meanwhile: the refused one is dropped, the newer one kept.
            w.advance(LIFETIME_MS);
            await w.broker.getToken(scope);
          }
          return { status: 401, headers: {}, body: {} };
        },
        close: async () => {},
      };
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups), { http });
      const result = await outcome(() => session.call('GET /api/v2/public/orgs/{org}/shops', { orgId: 'org1' }));
      return { record: { result, sentWith, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'a cached token after the deadline: refused with the deadline, as the race refused it',
    fastLookups: ['org1'],
    async run(path) {
      const w = world();
      await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' });
      const lookups: string[] = [];
      const deadline = new AbortController();
      deadline.abort();
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups), { deadline });
      const result = await outcome(() => session.token('org1'));
      return { record: { result, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'a cached token before the deadline: served',
    fastLookups: [],
    async run(path) {
      const w = world();
      await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' });
      const lookups: string[] = [];
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups), { deadline: new AbortController() });
      const result = await outcome(() => session.token('org1'));
      return { record: { result, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
  {
    name: 'an org the caller is not granted (BFF): the same error, asked again next time',
    fastLookups: [],
    async run(path) {
      const w = world();
      const lookups: string[] = [];
      const credentialFor = (orgId: string): string => {
        throw new OrgNotGrantedError(orgId);
      };
      const { session, trace } = sessionOf(asSeen(w.broker, path, lookups), { credentialFor });
      const results = [await outcome(() => session.token('org1')), await outcome(() => session.token('org1'))];
      return { record: { results, trace: traced(trace), exchanged: w.exchanged }, lookups };
    },
  },
];

describe('a token the broker answers from memory', () => {
  it.each(SCENARIOS)('$name: the same as through getToken', async (scenario) => {
    const fast = await scenario.run('fast');
    const slow = await scenario.run('getToken only');
    expect(fast.record).toEqual(slow.record);
    expect(fast.lookups).toEqual(scenario.fastLookups);
  });

  it('traces a cached token as PharmaOne’s token route, once, with the path of the org', async () => {
    const w = world();
    await w.broker.getToken({ baseUrl: BASE_URL, orgId: 'org1', apiKey: 'key-of-the-caller' });
    const { session, trace } = sessionOf(w.broker);
    await session.token('org1');
    await session.token('org1');
    expect(trace).toEqual([
      { method: 'POST', route: 'POST /auth/token', path: '/api/api/v2/public/orgs/org1/auth/token', status: 200, ms: 0, cached: true },
    ]);
  });

  it.each(['', '../org1', 'org1/x', 'org 1', 'örg', '%2e%2e', 'a'.repeat(65)])(
    'refuses the org id %j before anything, on either path',
    (orgId) => {
      for (const path of ['fast', 'getToken only'] as const) {
        const w = world();
        const lookups: string[] = [];
        const { session, trace } = sessionOf(asSeen(w.broker, path, lookups));
        expect(() => session.token(orgId)).toThrow(expect.objectContaining({ name: 'InvalidUpstreamInputError' }));
        expect({ lookups, trace, exchanged: w.exchanged }).toEqual({ lookups: [], trace: [], exchanged: [] });
      }
    },
  );
});
