// Caller authentication settings (README "Callers"). Pass-through needs none; BFF mode needs a
// way to verify the frontend's tokens and the operator's integration key per org.
import { readFileSync } from 'node:fs';
import type { BffAuthConfig } from './bff-token-verifier.ts';
import { loadOrgKeys } from './org-keys.ts';
import type { OrgKeys } from './org-keys.ts';

export type AuthConfig = { mode: 'pass-through' } | { mode: 'bff'; bff: BffAuthConfig; orgKeys: OrgKeys };

type Env = Record<string, string | undefined>;

export function loadAuthConfig(env: Env): AuthConfig {
  const mode = (env.AUTH_MODE ?? 'pass-through').toLowerCase();
  if (mode === 'pass-through') return { mode: 'pass-through' };
  if (mode !== 'bff') throw new Error(`AUTH_MODE must be pass-through or bff, got "${env.AUTH_MODE}"`);

  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`AUTH_MODE=bff needs ${name}.`);
    return value;
  };
  const pemFile = env.BFF_JWT_PUBLIC_KEY_FILE;
  const publicKeyPem = env.BFF_JWT_PUBLIC_KEY || (pemFile ? readFileSync(pemFile, 'utf8') : undefined);
  if (!env.BFF_JWKS_URL && !publicKeyPem) throw new Error('AUTH_MODE=bff needs BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY(_FILE).');
  const orgKeys = loadOrgKeys(env);
  if (orgKeys.size === 0) throw new Error('AUTH_MODE=bff needs the org keys: PHARMAONE_ORG_KEYS or PHARMAONE_ORG_KEYS_FILE.');
  const clockSkewSeconds = Number(env.BFF_JWT_CLOCK_SKEW_SECONDS ?? 30);
  if (!Number.isInteger(clockSkewSeconds) || clockSkewSeconds < 0 || clockSkewSeconds > 300) {
    throw new Error('BFF_JWT_CLOCK_SKEW_SECONDS must be an integer from 0 to 300.');
  }
  return {
    mode: 'bff',
    orgKeys,
    bff: {
      jwksUrl: env.BFF_JWKS_URL || undefined,
      publicKeyPem,
      issuer: required('BFF_JWT_ISSUER'),
      audience: required('BFF_JWT_AUDIENCE'),
      algorithms: (env.BFF_JWT_ALGORITHMS ?? 'RS256,ES256')
        .split(',')
        .map((alg) => alg.trim())
        .filter(Boolean),
      clockSkewSeconds,
      orgsClaim: env.BFF_ORGS_CLAIM?.trim() || 'pharmaone_orgs',
    },
  };
}
