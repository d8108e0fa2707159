// Issues and checks the sandbox's access tokens (§1). Revoking rotates the signing secret, so
// every token issued so far stops verifying; retired secrets are kept only to tell a client
// "revoked" rather than "bad signature".
import { randomBytes } from 'node:crypto';
import type { DemoApiKey } from './api-keys.ts';
import { checkSignature, decodeJwtPayload, isTokenClaims, signJwt, type TokenClaims } from './jwt.ts';

export const TOKEN_ISSUER = 'pharmaone-integration';
export const TOKEN_SUBJECT = 'integration';

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; message: string };

export interface TokenAuthority {
  issue(apiKey: DemoApiKey): TokenResponse;
  verify(token: string): TokenCheck;
  lifetimeSeconds: number;
  revokeAll(): void;
}

export function createTokenAuthority(options: { lifetimeSeconds: number; now: () => number }): TokenAuthority {
  let secret = randomBytes(32);
  const retired: Buffer[] = [];
  let lifetime = options.lifetimeSeconds;

  return {
    get lifetimeSeconds() {
      return lifetime;
    },
    set lifetimeSeconds(seconds: number) {
      lifetime = seconds;
    },

    issue(apiKey) {
      const iat = Math.floor(options.now() / 1000);
      const claims: TokenClaims = {
        org_id: apiKey.orgId,
        iss: TOKEN_ISSUER,
        sub: TOKEN_SUBJECT,
        scopes: [...apiKey.scopes],
        iat,
        exp: iat + lifetime,
      };
      return { access_token: signJwt(claims, secret), expires_in: lifetime, token_type: 'Bearer' };
    },

    verify(token) {
      const check = checkSignature(token, secret);
      if (check === 'malformed') return { ok: false, message: 'Malformed access token' };
      if (check === 'bad_signature') {
        const revoked = retired.some((old) => checkSignature(token, old) === 'valid');
        return { ok: false, message: revoked ? 'Access token has been revoked' : 'Invalid token signature' };
      }
      const claims = decodeJwtPayload(token);
      if (claims === undefined || !isTokenClaims(claims) || claims.iss !== TOKEN_ISSUER) {
        return { ok: false, message: 'Malformed access token' };
      }
      if (options.now() >= claims.exp * 1000) return { ok: false, message: 'Access token has expired' };
      return { ok: true, claims };
    },

    revokeAll() {
      retired.push(secret);
      secret = randomBytes(32);
    },
  };
}
