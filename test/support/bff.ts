// A local identity provider for BFF-mode tests: a real RS256 key pair, a real JWKS endpoint on
// port 0, and real signed sign-in tokens. Every BFF test signs in through here, so the tokens a
// browser would bring are made one way.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { ORG1_KEY, ORG2_KEY, stackFixture } from './gateway.ts';
import type { TestStack } from './gateway.ts';
import { must } from './must.ts';

export const BFF_ISSUER = 'https://id.example.test/';
export const BFF_AUDIENCE = 'pharmaone-graph';
/** The operator's integration key per org the gateway may reach on a signed-in user's behalf. */
export const BFF_ORG_KEYS = JSON.stringify({ org1: ORG1_KEY, org2: ORG2_KEY });

export interface SignInOptions {
  /** The `pharmaone_orgs` claim (any value, to test malformed grants); `['org1']` by default. */
  orgs?: unknown;
  issuer?: string;
  audience?: string;
  subject?: string;
  /** Seconds since the epoch; one minute ago by default. */
  issuedAt?: number;
  /** Seconds since the epoch; ten minutes from now by default. */
  expiresAt?: number;
  /** The signing key; the provider's own by default (the one its JWKS and PEM publish). */
  key?: CryptoKey;
}

export interface IdentityProvider {
  /** The public key as PEM (BFF_JWT_PUBLIC_KEY). */
  publicPem: string;
  /** The JWKS endpoint (BFF_JWKS_URL), holding the public key as kid "test-key". */
  jwksUrl: string;
  /** Gateway settings for BFF mode trusting this provider, by JWKS or by PEM, with the operator's org keys. */
  gatewayEnv(trust: 'jwks' | 'pem'): Record<string, string>;
  /** A sign-in token as the identity provider issues it. */
  signIn(options?: SignInOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const publicPem = await exportSPKI(pair.publicKey);
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const jwks = createServer((_, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    publicPem,
    jwksUrl,
    gatewayEnv: (trust) => ({
      AUTH_MODE: 'bff',
      ...(trust === 'jwks' ? { BFF_JWKS_URL: jwksUrl } : { BFF_JWT_PUBLIC_KEY: publicPem }),
      BFF_JWT_ISSUER: BFF_ISSUER,
      BFF_JWT_AUDIENCE: BFF_AUDIENCE,
      PHARMAONE_ORG_KEYS: BFF_ORG_KEYS,
    }),
    signIn(options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ pharmaone_orgs: options.orgs ?? ['org1'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(options.issuer ?? BFF_ISSUER)
        .setAudience(options.audience ?? BFF_AUDIENCE)
        .setSubject(options.subject ?? 'user-42')
        .setIssuedAt(options.issuedAt ?? now - 60)
        .setExpirationTime(options.expiresAt ?? now + 600)
        .sign(options.key ?? pair.privateKey);
    },
    close: () => new Promise<void>((resolve, reject) => jwks.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Request options of a browser that sends its sign-in token and no integration key. */
export function asSignedIn(token: string): { apikey: null; headers: Record<string, string> } {
  return { apikey: null, headers: { authorization: `Bearer ${token}` } };
}

/**
 * The PharmaOne subgraph in BFF mode, as a router reaches it, for the enclosing suite: a stack
 * serving `_entities` that trusts a fresh identity provider by its PEM key, RS256 only.
 */
export function bffSubgraphFixture(): { readonly idp: IdentityProvider; readonly stack: TestStack } {
  let idp: IdentityProvider | undefined;
  const started = () => must(idp, 'a started identity provider (use it inside tests or hooks)');
  beforeAll(async () => {
    idp = await startIdentityProvider();
  });
  afterAll(() => idp?.close());
  const stack = stackFixture(() => ({
    env: { FEDERATION_SUBGRAPH: 'true', ...started().gatewayEnv('pem'), BFF_JWT_ALGORITHMS: 'RS256' },
  }));
  return {
    get idp() {
      return started();
    },
    stack,
  };
}
