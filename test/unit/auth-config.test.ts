// Operator configuration for callers: clear errors for bad settings, and never a secret in them.
import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { loadOrgKeys } from '../../src/auth/org-keys.ts';
import { scrubText, registerSecret } from '../../src/logging/scrub.ts';

const BFF = {
  AUTH_MODE: 'bff',
  BFF_JWKS_URL: 'https://id.example.test/.well-known/jwks.json',
  BFF_JWT_ISSUER: 'https://id.example.test/',
  BFF_JWT_AUDIENCE: 'pharmaone-graph',
  PHARMAONE_ORG_KEYS: '{"org1":"k-org1-secret"}',
};

describe('loadAuthConfig', () => {
  it('defaults to pass-through', () => {
    expect(loadAuthConfig({})).toEqual({ mode: 'pass-through' });
  });

  it('reads BFF settings with defaults for algorithms, skew and the orgs claim', () => {
    const config = loadAuthConfig(BFF);
    expect(config).toMatchObject({
      mode: 'bff',
      bff: { algorithms: ['RS256', 'ES256'], clockSkewSeconds: 30, orgsClaim: 'pharmaone_orgs', issuer: BFF.BFF_JWT_ISSUER },
    });
    expect(config.mode === 'bff' && config.orgKeys.get('org1')).toBe('k-org1-secret');
  });

  it.each([
    [{ ...BFF, AUTH_MODE: 'magic' }, /AUTH_MODE must be/],
    [{ ...BFF, BFF_JWT_ISSUER: '' }, /BFF_JWT_ISSUER/],
    [{ ...BFF, BFF_JWKS_URL: undefined }, /BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY/],
    [{ ...BFF, PHARMAONE_ORG_KEYS: undefined }, /PHARMAONE_ORG_KEYS/],
    [{ ...BFF, BFF_JWT_CLOCK_SKEW_SECONDS: '-1' }, /CLOCK_SKEW/],
  ])('refuses an incomplete or wrong BFF setup with a clear message (%#)', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(message);
  });
});

describe('loadOrgKeys', () => {
  it('never repeats the key text in its errors', () => {
    const secretish = '{"org1": "k-very-secret-123",';
    expect(() => loadOrgKeys({ PHARMAONE_ORG_KEYS: secretish })).toThrow(/not valid JSON/);
    try {
      loadOrgKeys({ PHARMAONE_ORG_KEYS: secretish });
    } catch (error) {
      expect((error as Error).message).not.toContain('k-very-secret');
    }
  });

  it('refuses empty keys and non-object JSON', () => {
    expect(() => loadOrgKeys({ PHARMAONE_ORG_KEYS: '{"org1": ""}' })).toThrow(/non-empty/);
    expect(() => loadOrgKeys({ PHARMAONE_ORG_KEYS: '["k"]' })).toThrow(/JSON object/);
  });
});

describe('scrubText', () => {
  it('removes emails, JWTs, bearer and api keys, phone numbers, dates and registered secrets', () => {
    registerSecret('opaque-operator-key-77');
    const text =
      'max@example.com Bearer abc.def apikey=zzz123 eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln +49 30 1234567 1980-01-31 opaque-operator-key-77';
    expect(scrubText(text)).toBe('[email] Bearer [secret] apikey=[secret] [jwt] [number] [date] [secret]');
  });

  it('leaves route templates, statuses and ISO timestamps alone', () => {
    expect(scrubText('PharmaOne answered 418 to GET /orders/{id} at 2026-06-14T10:05:55Z')).toBe(
      'PharmaOne answered 418 to GET /orders/{id} at 2026-06-14T10:05:55Z',
    );
  });
});
