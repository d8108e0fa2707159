// BFF mode against a real local JWKS endpoint and real signed tokens: browsers send the identity
// provider's JWT, never an integration key; the gateway uses the operator's key per granted org.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'pharmaone-graph';
const ORG_KEYS = JSON.stringify({ org1: 'sandbox-org1-key', org2: 'sandbox-org2-key' });

let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let publicPem: string;
let jwks: Server;
let jwksUrl: string;
let stack: TestStack;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  jwks = createServer((_, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  stack = await startStack({
    env: { AUTH_MODE: 'bff', BFF_JWKS_URL: jwksUrl, BFF_JWT_ISSUER: ISSUER, BFF_JWT_AUDIENCE: AUDIENCE, PHARMAONE_ORG_KEYS: ORG_KEYS },
  });
});
afterAll(async () => {
  await stack.close();
  await new Promise((resolve) => jwks.close(resolve));
});
beforeEach(() => stack.sandbox.calls.clear());

interface TokenOptions {
  orgs?: unknown;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  key?: CryptoKey;
  subject?: string;
}

async function signIn(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pharmaone_orgs: options.orgs ?? ['org1'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject(options.subject ?? 'user-42')
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(options.key ?? signingKey);
}

const asUser = (token: string) => ({ apikey: null, headers: { authorization: `Bearer ${token}` } });
const SHOPS = '{ org(id: "org1") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };

describe('BFF mode', () => {
  it('serves a verified caller with the operator key of a granted org', async () => {
    const res = await stack.gql<ShopsData>(SHOPS, undefined, asUser(await signIn()));

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
    const res = await stack.gql(SHOPS, undefined, asUser(await token()));

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
    const res = await stack.gql('{ mine: org(id: "org1") { id } theirs: org(id: "org2") { id } }', undefined, asUser(await signIn()));

    expect(res.body.data).toEqual({ mine: { id: 'org1' }, theirs: null });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['theirs'], extensions: { code: 'FORBIDDEN' } })]);
    expect(stack.sandbox.calls.list().filter((call) => call.org === 'org2')).toEqual([]);
  });

  it('accepts the orgs claim as a space-separated string, and ignores orgs the operator holds no key for', async () => {
    const res = await stack.gql<{ viewer: unknown }>(
      '{ viewer { mode orgs { id scopes } } }',
      undefined,
      asUser(await signIn({ orgs: 'org2 org9' })),
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
      asUser(await signIn({ orgs: ['org1', 'org2'] })),
    );
    expect(JSON.stringify(res.body)).not.toContain('sandbox-org');
    expect(restCalls(stack.sandbox).filter((call) => call === 'GET /shops')).toHaveLength(1);
  });
});

describe('BFF mode with a PEM public key', () => {
  it('verifies tokens against the configured key', async () => {
    const pem = await startStack({
      env: {
        AUTH_MODE: 'bff',
        BFF_JWT_PUBLIC_KEY: publicPem,
        BFF_JWT_ISSUER: ISSUER,
        BFF_JWT_AUDIENCE: AUDIENCE,
        PHARMAONE_ORG_KEYS: ORG_KEYS,
      },
    });
    try {
      const ok = await pem.gql<ShopsData>(SHOPS, undefined, asUser(await signIn()));
      const forged = await pem.gql(SHOPS, undefined, asUser(await signIn({ key: strangerKey })));
      expect(dataOf(ok).org.shops).toHaveLength(2);
      expect(forged.status).toBe(401);
    } finally {
      await pem.close();
    }
  });
});
