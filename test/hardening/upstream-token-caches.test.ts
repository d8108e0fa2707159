// Hardening class 5 for the token broker's two caches: a flood of distinct credentials and orgs
// (tokens issued, exchanges refused) never holds more bytes than the configured bounds. A pure
// unit test of the broker with an in-process exchange.
import { describe, expect, it } from 'vitest';
import { createTokenBroker } from '../../src/upstream/token-broker.ts';
import type { IntegrationToken, TokenScope } from '../../src/upstream/token-broker.ts';
import { UpstreamStatusError } from '../../src/upstream/upstream-errors.ts';

const scope = (orgId: string, apiKey: string): TokenScope => ({ baseUrl: 'https://manager.example', orgId, apiKey });

describe('token broker memory', () => {
  it('keeps the token cache within its byte bound under 5,000 distinct credentials', async () => {
    const broker = createTokenBroker({
      refreshMarginMs: 0,
      maxEntries: 1_000_000,
      maxBytes: 64 * 1024,
      exchange: async (s): Promise<IntegrationToken> => ({
        accessToken: `header.${'p'.repeat(600)}.sig-${s.apiKey}`,
        orgId: s.orgId,
        scopes: ['orders:read'],
        issuedAtMs: Date.now(),
        expiresAtMs: Date.now() + 3_600_000,
      }),
    });

    for (let i = 0; i < 5_000; i++) await broker.getToken(scope('org1', `key-${i}`));

    expect(broker.sizes().tokenBytes).toBeGreaterThan(32 * 1024);
    expect(broker.sizes().tokenBytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('keeps the refusal memory within its byte bound under 5,000 refused (credential, org) pairs', async () => {
    let exchanges = 0;
    const broker = createTokenBroker({
      refreshMarginMs: 0,
      maxEntries: 1_000,
      negativeTtlMs: 60_000,
      negativeMaxBytes: 16 * 1024,
      exchange: async () => {
        exchanges += 1;
        throw new UpstreamStatusError({ status: 401, route: 'POST /auth/token' });
      },
    });

    for (let i = 0; i < 5_000; i++) await broker.getToken(scope(`org${i}`, `garbage-${i}`)).catch(() => undefined);
    // The most recent refusals are still remembered: no second exchange for them.
    await expect(broker.getToken(scope('org4999', 'garbage-4999'))).rejects.toBeInstanceOf(UpstreamStatusError);

    expect(exchanges).toBe(5_000);
    expect(broker.sizes().refusalBytes).toBeGreaterThan(8 * 1024);
    expect(broker.sizes().refusalBytes).toBeLessThanOrEqual(16 * 1024);
  });

  it('forgets a refusal after its time, so a fixed credential works again', async () => {
    let clock = 0;
    let refuse = true;
    const broker = createTokenBroker({
      now: () => clock,
      refreshMarginMs: 0,
      maxEntries: 10,
      negativeTtlMs: 5_000,
      exchange: async (s) => {
        if (refuse) throw new UpstreamStatusError({ status: 401, route: 'POST /auth/token' });
        return { accessToken: 't', orgId: s.orgId, scopes: [], issuedAtMs: clock, expiresAtMs: clock + 60_000 };
      },
    });

    await expect(broker.getToken(scope('org1', 'k'))).rejects.toBeInstanceOf(UpstreamStatusError);
    refuse = false;
    await expect(broker.getToken(scope('org1', 'k'))).rejects.toBeInstanceOf(UpstreamStatusError);
    clock += 5_001;
    await expect(broker.getToken(scope('org1', 'k'))).resolves.toMatchObject({ cached: false });
  });
});
