// The scope check at subscribe, as a pure unit (in-process fakes of the broker and the HTTP
// stack, since no sandbox key lacks orders:read): a token without orders:read is refused before
// anything is polled, with no HTTP call; a token with it, or with no scopes claim, is accepted.
import { describe, expect, it } from 'vitest';
import { MissingScopeError } from '../../src/auth/auth-errors.ts';
import type { Caller } from '../../src/auth/caller.ts';
import { createMemoryFeedBus, createMemoryLease } from '../../src/feed/bus/feed-bus.ts';
import { createOrderFeed } from '../../src/feed/order-feed.ts';
import { parseEnv } from '../../src/config/env.ts';
import { readFeedSettings } from '../../src/feed/settings.ts';
import { createLogger } from '../../src/logging/logger.ts';
import type { UpstreamRequest } from '../../src/upstream/http.ts';
import type { TokenBroker } from '../../src/upstream/token-broker.ts';

function feedWithToken(scopes: string[]) {
  const sent: UpstreamRequest[] = [];
  const broker: TokenBroker = {
    getToken: async (scope) => ({
      cached: true,
      token: { accessToken: 'jwt', orgId: scope.orgId, scopes, issuedAtMs: 0, expiresAtMs: Date.now() + 3_600_000 },
    }),
    invalidate: () => {},
    heldTokens: () => [],
    sizes: () => ({ tokenBytes: 0, refusalBytes: 0 }),
  };
  const settings = { ...parseEnv({}, (read) => readFeedSettings(read, undefined)), pollMs: 60_000 };
  const feed = createOrderFeed({
    settings,
    bus: createMemoryFeedBus(settings),
    lease: createMemoryLease(),
    client: {
      http: {
        send: async (req) => {
          sent.push(req);
          return { status: 200, headers: {}, body: { data: [], pagination: { limit: 100, offset: 0, total: 0 } } };
        },
        close: async () => {},
      },
      broker,
      baseUrl: 'http://pharmaone.invalid',
      shopUrlTemplate: undefined,
    },
    logger: createLogger({ level: 'silent' }),
    detailConcurrency: 4,
    operationDeadlineMs: 1_000,
    upstreamCallBudget: 10,
  });
  return { feed, sent };
}

const caller: Caller = {
  mode: 'PASS_THROUGH',
  id: 'caller',
  authorizationScopeId: 'caller',
  credentialFor: () => 'key',
  grantedOrgs: null,
  apiKey: 'key',
};
const connection = () => ({ disconnect: () => {} });

describe('the orders:read check at subscribe', () => {
  it('refuses a token without orders:read, with no call', async () => {
    const { feed, sent } = feedWithToken(['shops:read', 'reports:read']);
    await expect(feed.subscribe(caller, connection(), { orgId: 'org1' })).rejects.toBeInstanceOf(MissingScopeError);
    expect(sent).toEqual([]);
    expect(feed.stats()).toEqual(expect.objectContaining({ subscribers: 0, pollers: 0 }));
    await feed.close();
  });

  it.each([[['orders:read']], [[]]])('accepts a token with scopes %j and starts one poller', async (scopes) => {
    const { feed } = feedWithToken(scopes);
    const events = await feed.subscribe(caller, connection(), { orgId: 'org1' });
    expect(feed.stats()).toEqual(expect.objectContaining({ subscribers: 1 }));
    await events.return?.();
    expect(feed.stats()).toEqual(expect.objectContaining({ subscribers: 0 }));
    await feed.close();
  });
});
