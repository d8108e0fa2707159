// Which callers count as proven (src/upstream/proven-credentials.ts): a pass-through key from the
// moment PharmaOne accepted it in a token exchange until the last token it got expires; never one
// whose exchange failed or that was never exchanged; a BFF caller always (its sign-in token was
// verified). Pure unit tests with an in-process exchange and a fake clock.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.ts';
import { passThroughScopeId } from '../../src/auth/caller.ts';
import { createProvenCredentials } from '../../src/upstream/proven-credentials.ts';
import type { IntegrationToken, TokenScope } from '../../src/upstream/token-broker.ts';

const passThrough = (apiKey: string): Caller => ({
  mode: 'PASS_THROUGH',
  id: `id-${apiKey}`,
  authorizationScopeId: passThroughScopeId(apiKey),
  credentialFor: () => apiKey,
  grantedOrgs: null,
  apiKey,
});
const scope = (apiKey: string, orgId = 'org1'): TokenScope => ({ baseUrl: 'https://manager.example', orgId, apiKey });

function harness(maxBytes?: number) {
  let clock = 1_000_000;
  const lifetimes: Record<string, number> = { org1: 60_000, org2: 120_000 };
  const credentials = createProvenCredentials({ now: () => clock, ...(maxBytes ? { maxBytes } : {}) });
  const exchange = credentials.recording(async (s): Promise<IntegrationToken> => {
    if (s.apiKey.startsWith('bad')) throw new Error('401 from the exchange');
    return { accessToken: 'jwt', orgId: s.orgId, scopes: [], issuedAtMs: clock, expiresAtMs: clock + (lifetimes[s.orgId] ?? 0) };
  });
  return { credentials, exchange, advance: (ms: number) => (clock += ms) };
}

describe('proven credentials', () => {
  it('proves a key from its first accepted exchange until the last token it got expires', async () => {
    const { credentials, exchange, advance } = harness();
    expect(credentials.isProven(passThrough('key-a'))).toBe(false);
    await exchange(scope('key-a', 'org1'));
    await exchange(scope('key-a', 'org2'));
    expect(credentials.isProven(passThrough('key-a'))).toBe(true);
    expect(credentials.isProven(passThrough('key-b'))).toBe(false);
    advance(60_000);
    expect(credentials.isProven(passThrough('key-a'))).toBe(true);
    advance(60_000);
    expect(credentials.isProven(passThrough('key-a'))).toBe(false);
  });

  it('never proves a key whose exchange failed', async () => {
    const { credentials, exchange } = harness();
    await expect(exchange(scope('bad-key'))).rejects.toThrow('401');
    expect(credentials.isProven(passThrough('bad-key'))).toBe(false);
  });

  it('counts a BFF caller as proven by its verified sign-in token', () => {
    const { credentials } = harness();
    expect(credentials.isProven({ ...passThrough('unused'), mode: 'BFF', apiKey: undefined, grantedOrgs: ['org1'] })).toBe(true);
  });

  it('keeps its memory within its bytes, the least recently proven keys out first', async () => {
    const { credentials, exchange } = harness(64 * 1024);
    for (let index = 0; index < 1_000; index++) await exchange(scope(`key-${index}`));
    expect(credentials.bytes()).toBeLessThanOrEqual(64 * 1024);
    expect(credentials.isProven(passThrough('key-999'))).toBe(true);
    expect(credentials.isProven(passThrough('key-0'))).toBe(false);
  });
});
