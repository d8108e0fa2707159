// BFF mode: verifies the frontend identity provider's JWT (Authorization: Bearer) with jose —
// signature (JWKS URL or PEM public key), issuer, audience, expiry with clock skew — and reads
// the claim that lists the PharmaOne orgs the caller may reach.
import { createRemoteJWKSet, importSPKI, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey, CryptoKey as JoseCryptoKey } from 'jose';

export interface BffAuthConfig {
  jwksUrl: string | undefined;
  publicKeyPem: string | undefined;
  issuer: string;
  audience: string;
  algorithms: string[];
  clockSkewSeconds: number;
  /** Claim holding the org ids the caller may reach: an array, or a space-separated string. */
  orgsClaim: string;
}

export interface VerifiedFrontendCaller {
  subject: string;
  issuer: string;
  orgIds: string[];
  /** The token's `exp` in epoch ms (plus the allowed clock skew): long-lived uses (subscriptions) end there. */
  expiresAtMs: number;
  /** The OAuth client the token was issued to (`azp`, else `client_id`), as the token says it; undefined when neither. */
  clientName: string | undefined;
}

/** The bearer token is missing, malformed, or fails a check; the reason stays in the logs only. */
export class BffTokenRejectedError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`frontend token rejected: ${reason}`);
    this.name = 'BffTokenRejectedError';
    this.reason = reason;
  }
}

export type BffTokenVerifier = (bearer: string) => Promise<VerifiedFrontendCaller>;

export async function createBffTokenVerifier(config: BffAuthConfig): Promise<BffTokenVerifier> {
  let key: JWTVerifyGetKey | JoseCryptoKey;
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
  } else if (config.publicKeyPem) {
    key = await importSPKI(config.publicKeyPem, config.algorithms[0] ?? 'RS256');
  } else {
    throw new Error('BFF mode needs BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY(_FILE).');
  }

  return async (bearer) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(bearer, key as JWTVerifyGetKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms,
        clockTolerance: config.clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      throw new BffTokenRejectedError((error as { code?: string }).code ?? 'invalid');
    }
    // jose has checked these (requiredClaims, issuer, exp); this narrows them for the compiler.
    if (!payload.sub || !payload.iss || payload.exp === undefined) throw new BffTokenRejectedError('missing sub, iss or exp');
    return {
      subject: payload.sub,
      issuer: payload.iss,
      orgIds: orgIdsFrom(payload[config.orgsClaim]),
      expiresAtMs: (payload.exp + config.clockSkewSeconds) * 1000,
      clientName: clientNameFrom(payload.azp) ?? clientNameFrom(payload.client_id),
    };
  };
}

/** A claim's text, bounded: the quota layer checks its grammar. */
function clientNameFrom(claim: unknown): string | undefined {
  return typeof claim === 'string' && claim !== '' && claim.length <= 256 ? claim : undefined;
}

function orgIdsFrom(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((org): org is string => typeof org === 'string' && org !== '');
  if (typeof claim === 'string') return claim.split(/\s+/).filter(Boolean);
  return [];
}
