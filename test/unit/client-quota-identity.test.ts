// Who a client is (src/graphql/quota/client-identity.ts) and the quota settings
// (src/graphql/quota/quota-settings.ts), table-driven over hostile values: a client name is a
// caller's choice, so anything outside the plain grammar names no client (the caller as a whole),
// and no setting value can make a bucket key, a header field or a metric label of it.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.ts';
import { createEnvReader } from '../../src/config/env.ts';
import { clientNameOf, identifyClient } from '../../src/graphql/quota/client-identity.ts';
import { readQuotaSettings } from '../../src/graphql/quota/quota-settings.ts';

function caller(overrides: Partial<Caller> = {}): Caller {
  return {
    mode: 'PASS_THROUGH',
    id: 'id-1',
    authorizationScopeId: 'scope-1',
    credentialFor: () => 'key',
    grantedOrgs: null,
    apiKey: 'key',
    ...overrides,
  };
}

describe('the client name', () => {
  it.each([
    ['web', 'web'],
    ['ios-app/3.2.1', 'ios-app/3.2.1'],
    ['etl@analytics:nightly', 'etl@analytics:nightly'],
    ['  padded  ', 'padded'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['a'.repeat(65), undefined],
    ['has space', undefined],
    ['ünïcode', undefined],
    ['-leading-dash', undefined],
    ['.hidden', undefined],
    ['quote"d', undefined],
    ['semi;colon', undefined],
    ['comma,list', undefined],
    ['new\nline', undefined],
    ['nul\u0000', undefined],
    ['', undefined],
    ['   ', undefined],
  ])('header %j names client %j', (header, expected) => {
    expect(clientNameOf(caller(), { 'apollographql-client-name': header })).toBe(expected);
    expect(clientNameOf(caller(), { 'graphql-client-name': header })).toBe(expected);
  });

  it("takes Apollo's header before the other, and the first of repeated values", () => {
    expect(clientNameOf(caller(), { 'apollographql-client-name': 'apollo', 'graphql-client-name': 'other' })).toBe('apollo');
    expect(clientNameOf(caller(), { 'graphql-client-name': ['first', 'second'] as unknown as string })).toBe('first');
  });

  it("takes a BFF token's client before any header, and no header when the token's is not a plain name", () => {
    const bff = (clientName: string) => caller({ mode: 'BFF', clientName, grantedOrgs: ['org1'] });
    expect(clientNameOf(bff('spa'), { 'apollographql-client-name': 'forged' })).toBe('spa');
    expect(clientNameOf(bff('not plain'), { 'apollographql-client-name': 'forged' })).toBeUndefined();
  });
});

describe('the buckets a client is counted in', () => {
  it("keeps two callers' clients of one name apart, and one caller's clients in one org", () => {
    const a = identifyClient(caller(), 'web');
    const aOther = identifyClient(caller(), 'ios');
    const b = identifyClient(caller({ authorizationScopeId: 'scope-2' }), 'web');
    expect(new Set([a.clientKey, aOther.clientKey, b.clientKey]).size).toBe(3);
    expect(aOther.orgKey).toBe(a.orgKey);
    expect(b.orgKey).not.toBe(a.orgKey);
  });

  it('names a BFF caller granted one org by that org (for QUOTA_ORG_OVERRIDES), in any claim order', () => {
    const one = identifyClient(caller({ mode: 'BFF', grantedOrgs: ['org1'] }), undefined);
    const two = identifyClient(caller({ mode: 'BFF', grantedOrgs: ['org2', 'org1'] }), undefined);
    const twoAgain = identifyClient(caller({ mode: 'BFF', grantedOrgs: ['org1', 'org2', 'org1'], authorizationScopeId: 's' }), undefined);
    expect(one.orgId).toBe('org1');
    expect(two.orgId).toBeUndefined();
    expect(twoAgain.orgKey).toBe(two.orgKey);
  });

  it('keys buckets by fixed-size hashes, whatever the caller sent', () => {
    const { clientKey, orgKey } = identifyClient(caller({ authorizationScopeId: 'x'.repeat(10_000) }), 'a'.repeat(64));
    expect(clientKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(orgKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the quota settings', () => {
  const read = (env: Record<string, string>) => {
    const reader = createEnvReader(env);
    return { settings: readQuotaSettings(reader), problems: reader.problems };
  };

  it('are off by default', () => {
    const { settings, problems } = read({});
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ clientCalls: 0, orgCalls: 0, windowMs: 60_000, expectedReplicas: 1 });
    expect(settings.clientOverrides.size + settings.orgOverrides.size).toBe(0);
  });

  it('read overrides as name=calls', () => {
    const { settings, problems } = read({ QUOTA_CLIENT_OVERRIDES: ' web=600, etl = 50 ,blocked=0', QUOTA_ORG_OVERRIDES: 'org1=5000' });
    expect(problems).toEqual([]);
    expect([...settings.clientOverrides]).toEqual([
      ['web', 600],
      ['etl', 50],
      ['blocked', 0],
    ]);
    expect([...settings.orgOverrides]).toEqual([['org1', 5000]]);
  });

  it.each([
    ['web', 'is not name=calls'],
    ['web=lots', 'is not name=calls'],
    ['web=-1', 'is not name=calls'],
    ['web=1.5', 'is not name=calls'],
    ['we b=1', 'is not name=calls'],
    ['web=1000000000', 'is not name=calls'],
    ['"web"=1', 'is not name=calls'],
    ['web=1,web=2', 'names "web" twice'],
    [Array.from({ length: 201 }, (_, i) => `c${i}=1`).join(','), 'at most 200'],
  ])('refuse QUOTA_CLIENT_OVERRIDES=%j (%s)', (value, problem) => {
    const { problems } = read({ QUOTA_CLIENT_OVERRIDES: value });
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });
});
