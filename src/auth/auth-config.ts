// Caller authentication settings (docs/security.md, "Callers, tenancy and query safety"). The caller mode is a tagged union decided
// here once: pass-through needs nothing; BFF mode needs a way to verify the frontend's tokens and
// the operator's integration key per org, and is refused unless all of it is there.
import { readFileSync } from 'node:fs';
import { parseEnv } from '../config/env.ts';
import type { Env, EnvReader } from '../config/env.ts';
import type { BffAuthConfig } from './bff-token-verifier.ts';
import { loadOrgKeys } from './org-keys.ts';
import type { OrgKeys } from './org-keys.ts';

export type AuthConfig = { mode: 'pass-through' } | { mode: 'bff'; bff: BffAuthConfig; orgKeys: OrgKeys };

export const CALLER_MODES = ['pass-through', 'bff'] as const;

/** Throws a ConfigError listing every problem of the caller settings. */
export function loadAuthConfig(env: Env): AuthConfig {
  return parseEnv(env, readAuthConfig);
}

export function readAuthConfig(read: EnvReader): AuthConfig {
  const mode = read.oneOf('AUTH_MODE', CALLER_MODES, 'pass-through');
  if (mode === 'pass-through') return { mode };

  const required = (name: string): string => {
    const value = read.text(name);
    if (!value) read.problem(`AUTH_MODE=bff needs ${name}.`);
    return value ?? '';
  };
  const jwksUrl = read.url('BFF_JWKS_URL');
  const pemFile = read.file('BFF_JWT_PUBLIC_KEY_FILE');
  const publicKeyPem =
    read.text('BFF_JWT_PUBLIC_KEY') ?? (pemFile ? read.attempt(() => readFileSync(pemFile, 'utf8'), undefined) : undefined);
  if (!read.text('BFF_JWKS_URL') && !read.text('BFF_JWT_PUBLIC_KEY') && !pemFile) {
    read.problem('AUTH_MODE=bff needs BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY(_FILE).');
  }
  const orgKeys = read.attempt(
    () =>
      loadOrgKeys({ PHARMAONE_ORG_KEYS: read.text('PHARMAONE_ORG_KEYS'), PHARMAONE_ORG_KEYS_FILE: read.text('PHARMAONE_ORG_KEYS_FILE') }),
    new Map<string, string>(),
  );
  if (orgKeys.size === 0 && !read.text('PHARMAONE_ORG_KEYS') && !read.text('PHARMAONE_ORG_KEYS_FILE')) {
    read.problem('AUTH_MODE=bff needs the org keys: PHARMAONE_ORG_KEYS or PHARMAONE_ORG_KEYS_FILE.');
  }
  return {
    mode,
    orgKeys,
    bff: {
      jwksUrl,
      publicKeyPem,
      issuer: required('BFF_JWT_ISSUER'),
      audience: required('BFF_JWT_AUDIENCE'),
      algorithms: read
        .text('BFF_JWT_ALGORITHMS', 'RS256,ES256')
        .split(',')
        .map((alg) => alg.trim())
        .filter(Boolean),
      clockSkewSeconds: read.durationMs('BFF_JWT_CLOCK_SKEW_SECONDS', { fallback: 30, min: 0, max: 300 }) / 1000,
      orgsClaim: read.text('BFF_ORGS_CLAIM', 'pharmaone_orgs'),
    },
  };
}
