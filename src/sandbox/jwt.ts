// HS256 JSON Web Tokens with node:crypto, just enough for the sandbox's token exchange.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  org_id: string;
  iss: string;
  sub: string;
  scopes: string[];
  iat: number;
  exp: number;
}

// Serialises to eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9, the header of the seed's example token.
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function signature(signingInput: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/** Claims go first-to-last in the given order; org_id first matches the seed's token prefix. */
export function signJwt(claims: TokenClaims, secret: Buffer): string {
  const signingInput = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${signature(signingInput, secret).toString('base64url')}`;
}

/** The payload without any checks — for the call log's tokenOrg, never for authorisation. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export type SignatureCheck = 'valid' | 'malformed' | 'bad_signature';

/** Checks shape, algorithm and signature; expiry is the caller's business. */
export function checkSignature(token: string, secret: Buffer): SignatureCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const [header, payload, sig] = parts as [string, string, string];
  if (header !== HEADER || decodeJwtPayload(token) === undefined || payload === '') return 'malformed';
  const expected = signature(`${header}.${payload}`, secret);
  const presented = Buffer.from(sig, 'base64url');
  return presented.length === expected.length && timingSafeEqual(presented, expected) ? 'valid' : 'bad_signature';
}

export function isTokenClaims(value: Record<string, unknown>): value is Record<string, unknown> & TokenClaims {
  return (
    typeof value.org_id === 'string' &&
    typeof value.iss === 'string' &&
    typeof value.sub === 'string' &&
    Array.isArray(value.scopes) &&
    value.scopes.every((scope) => typeof scope === 'string') &&
    typeof value.iat === 'number' &&
    typeof value.exp === 'number'
  );
}
