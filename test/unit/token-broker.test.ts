// Pure unit tests of the token broker's rules, with an in-process exchange and a fake clock.
import { describe, expect, it } from 'vitest';
import { createTokenBroker, readTokenClaims } from '../../src/upstream/token-broker.ts';
import type { IntegrationToken, TokenScope } from '../../src/upstream/token-broker.ts';

const scope = (orgId: string, apiKey = 'key-a'): TokenScope => ({ baseUrl: 'https://manager.example', orgId, apiKey });

function harness(lifetimeMs = 3_600_000, marginMs = 60_000) {
  let clock = 1_000_000;
  const exchanges: TokenScope[] = [];
  let failNext = false;
  const broker = createTokenBroker({
    now: () => clock,
    refreshMarginMs: marginMs,
    maxEntries: 100,
    exchange: async (s): Promise<IntegrationToken> => {
      exchanges.push(s);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failNext) {
        failNext = false;
        throw new Error('exchange failed');
      }
      return {
        accessToken: `t${exchanges.length}`,
        orgId: s.orgId,
        scopes: ['orders:read'],
        issuedAtMs: clock,
        expiresAtMs: clock + lifetimeMs,
      };
    },
  });
  return {
    broker,
    exchanges,
    advance: (ms: number) => (clock += ms),
    failNextExchange: () => (failNext = true),
  };
}

describe('token broker', () => {
  it('runs one exchange for concurrent lookups of the same key', async () => {
    const { broker, exchanges } = harness();
    const lookups = await Promise.all(Array.from({ length: 50 }, () => broker.getToken(scope('org1'))));
    expect(exchanges).toHaveLength(1);
    expect(new Set(lookups.map((l) => l.token.accessToken))).toEqual(new Set(['t1']));
  });

  it('keeps tokens apart per org and per credential', async () => {
    const { broker, exchanges } = harness();
    await broker.getToken(scope('org1', 'key-a'));
    await broker.getToken(scope('org1', 'key-b'));
    await broker.getToken(scope('org2', 'key-a'));
    const again = await broker.getToken(scope('org1', 'key-b'));
    expect(exchanges.map((s) => `${s.orgId}/${s.apiKey}`)).toEqual(['org1/key-a', 'org1/key-b', 'org2/key-a']);
    expect(again).toEqual({ token: expect.objectContaining({ accessToken: 't2' }), cached: true });
  });

  it('refreshes a margin before exp, not after', async () => {
    const { broker, exchanges, advance } = harness(3_600_000, 60_000);
    await broker.getToken(scope('org1'));
    advance(3_600_000 - 60_001);
    expect((await broker.getToken(scope('org1'))).cached).toBe(true);
    advance(2);
    expect((await broker.getToken(scope('org1'))).cached).toBe(false);
    expect(exchanges).toHaveLength(2);
  });

  it('shrinks the margin for short-lived tokens so they are still reused', async () => {
    const { broker, exchanges, advance } = harness(2_000, 60_000);
    await broker.getToken(scope('org1'));
    advance(1_000);
    expect((await broker.getToken(scope('org1'))).cached).toBe(true);
    advance(600);
    expect((await broker.getToken(scope('org1'))).cached).toBe(false);
    expect(exchanges).toHaveLength(2);
  });

  it('never caches a failed exchange', async () => {
    const { broker, exchanges, failNextExchange } = harness();
    failNextExchange();
    await expect(broker.getToken(scope('org1'))).rejects.toThrow('exchange failed');
    await expect(broker.getToken(scope('org1'))).resolves.toMatchObject({ cached: false });
    expect(exchanges).toHaveLength(2);
  });

  it('evicts only the token that was refused, not a newer one', async () => {
    const { broker } = harness();
    const { token: old } = await broker.getToken(scope('org1'));
    broker.invalidate(scope('org1'), old);
    const { token: fresh } = await broker.getToken(scope('org1'));
    broker.invalidate(scope('org1'), old);
    expect((await broker.getToken(scope('org1'))).token).toBe(fresh);
  });

  it('lists the unexpired tokens a credential holds', async () => {
    const { broker, advance } = harness(1_000, 0);
    await broker.getToken(scope('org2'));
    await broker.getToken(scope('org1'));
    await broker.getToken(scope('org1', 'key-b'));
    expect(broker.heldTokens('https://manager.example', 'key-a').map((t) => t.orgId)).toEqual(['org1', 'org2']);
    advance(1_001);
    expect(broker.heldTokens('https://manager.example', 'key-a')).toEqual([]);
  });
});

describe('readTokenClaims', () => {
  it('reads org, scopes and times from a JWT payload and tolerates garbage', () => {
    const payload = Buffer.from(JSON.stringify({ org_id: 'org1', scopes: ['a', 1, 'b'], exp: 20, iat: 10 })).toString('base64url');
    expect(readTokenClaims(`x.${payload}.y`)).toEqual({ orgId: 'org1', scopes: ['a', 'b'], exp: 20, iat: 10 });
    expect(readTokenClaims('not-a-jwt')).toEqual({ scopes: [] });
    expect(readTokenClaims('x.%%%.y')).toEqual({ scopes: [] });
  });
});
