// BFF mode against a real local JWKS endpoint and real signed tokens: browsers send the identity
// provider's JWT, never an integration key; the gateway uses the operator's key per granted org.
import { generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asSignedIn, startIdentityProvider } from '../support/bff.ts';
import type { IdentityProvider } from '../support/bff.ts';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

let idp: IdentityProvider;
let strangerKey: CryptoKey;
let stack: TestStack;

beforeAll(async () => {
  idp = await startIdentityProvider();
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  stack = await startStack({ env: idp.gatewayEnv('jwks') });
});
afterAll(async () => {
  await stack.close();
  await idp.close();
});
beforeEach(() => stack.sandbox.calls.clear());

const signIn: IdentityProvider['signIn'] = (options) => idp.signIn(options);
const SHOPS = '{ org(id: "org1") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };

describe('BFF mode', () => {
  it('serves a verified caller with the operator key of a granted org', async () => {
    const res = await stack.gql<ShopsData>(SHOPS, undefined, asSignedIn(await signIn()));

    expect(res.status).toBe(200);
    expect(dataOf(res).org.shops).toEqual([{ id: 'shop1' }, { id: 'shop2' }]);
    const shopCall = stack.sandbox.calls.list().find((call) => call.path.endsWith('/shops'));
    expect(shopCall).toMatchObject({ authKind: 'jwt', tokenOrg: 'org1', org: 'org1' });
  });

  it.each<[string, () => Promise<string>]>([
    ['an expired token', () => signIn({ expiresAt: Math.floor(Date.now() / 1000) - 120 })],
    ['a token from another issuer', () => signIn({ issuer: 'https://evil.example.test/' })],
    ['a token for another audience', () => signIn({ audience: 'someone-else' })],
    ['a token signed with a key the JWKS does not hold', () => signIn({ key: strangerKey })],
    ['a token that is not a JWT', async () => 'not.a.jwt'],
  ])('refuses %s with HTTP 401 before any upstream call', async (_, token) => {
    const res = await stack.gql(SHOPS, undefined, asSignedIn(await token()));

    expect(res.status).toBe(401);
    expect(res.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('refuses a request that brings an integration key instead of a sign-in token', async () => {
    const res = await stack.gql(SHOPS, undefined, { apikey: 'sandbox-org1-key' });
    expect(res.status).toBe(401);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('answers an org the token does not grant with FORBIDDEN and no upstream call, serving granted siblings', async () => {
    const res = await stack.gql('{ mine: org(id: "org1") { id } theirs: org(id: "org2") { id } }', undefined, asSignedIn(await signIn()));

    expect(res.body.data).toEqual({ mine: { id: 'org1' }, theirs: null });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['theirs'], extensions: { code: 'FORBIDDEN' } })]);
    expect(stack.sandbox.calls.list().filter((call) => call.org === 'org2')).toEqual([]);
  });

  it('accepts the orgs claim as a space-separated string, and ignores orgs the operator holds no key for', async () => {
    const res = await stack.gql<{ viewer: unknown }>(
      '{ viewer { mode orgs { id scopes } } }',
      undefined,
      asSignedIn(await signIn({ orgs: 'org2 org9' })),
    );

    expect(dataOf(res).viewer).toEqual({
      mode: 'BFF',
      orgs: [{ id: 'org2', scopes: expect.arrayContaining(['orders:read', 'reports:read']) }],
    });
  });

  it('never hands the operator key to the caller or the response', async () => {
    const res = await stack.gql(
      '{ viewer { orgs { id scopes org { shops { id } } } } }',
      undefined,
      asSignedIn(await signIn({ orgs: ['org1', 'org2'] })),
    );
    expect(JSON.stringify(res.body)).not.toContain('sandbox-org');
    expect(restCalls(stack.sandbox).filter((call) => call === 'GET /shops')).toHaveLength(1);
  });
});

describe('BFF mode with a PEM public key', () => {
  it('verifies tokens against the configured key', async () => {
    const pem = await startStack({ env: idp.gatewayEnv('pem') });
    try {
      const ok = await pem.gql<ShopsData>(SHOPS, undefined, asSignedIn(await signIn()));
      const forged = await pem.gql(SHOPS, undefined, asSignedIn(await signIn({ key: strangerKey })));
      expect(dataOf(ok).org.shops).toHaveLength(2);
      expect(forged.status).toBe(401);
    } finally {
      await pem.close();
    }
  });
});
