// Who is calling, and with which PharmaOne credential for which org. Two modes:
// - pass-through (default): the caller sends its own integration key (`apikey` header) and may
//   reach any org that key's token exchange accepts;
// - BFF: browsers and apps never hold integration keys; they send the frontend identity
//   provider's JWT (`Authorization: Bearer`), its claim lists the orgs they may reach, and the
//   gateway uses the operator's key for each granted org.
import { hash as digest } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CallerNotAuthenticatedError, OrgNotGrantedError } from './auth-errors.ts';
import type { BffTokenVerifier } from './bff-token-verifier.ts';
import { BffTokenRejectedError } from './bff-token-verifier.ts';
import type { OrgKeys } from './org-keys.ts';

export type AuthMode = 'PASS_THROUGH' | 'BFF';

export interface Caller {
  mode: AuthMode;
  /** Stable hash of who calls (pass-through: the key; BFF: issuer + subject). Never the credential. */
  id: string;
  /**
   * Hash of the whole authorization context that decides access: the identity AND the grants in
   * force (BFF: issuer, subject and the sorted granted orgs; pass-through: the key, which is its own
   * grant). Every store that outlives a request (response cache, idempotency outcomes) is keyed by
   * this, so two tokens of one subject with different grants never share an entry (issue 10, class 2).
   */
  authorizationScopeId: string;
  /** The PharmaOne integration key to use for this org; throws OrgNotGrantedError in BFF mode. */
  credentialFor(orgId: string): string;
  /** Orgs the caller is known to reach: BFF grants, or (pass-through) none known in advance. */
  grantedOrgs: readonly string[] | null;
  /** Pass-through only: the caller's own key (to list the tokens it holds). */
  apiKey: string | undefined;
  /** BFF: when the sign-in token expires (epoch ms); what outlives a request (a subscription) ends there. */
  expiresAtMs?: number;
  /** BFF: the OAuth client the sign-in token was issued to (its `azp` or `client_id` claim): a client name no header can change. */
  clientName?: string | undefined;
}

export type Authenticator = (headers: IncomingHttpHeaders) => Promise<Caller>;

export function passThroughAuthenticator(): Authenticator {
  return async (headers) => {
    const apiKey = single(headers.apikey);
    if (!apiKey) throw new CallerNotAuthenticatedError('Send your PharmaOne integration key in the "apikey" request header.');
    return new PassThroughCaller(apiKey);
  };
}

/**
 * A pass-through caller. Its two hashes are taken when first read: most requests read neither (a
 * read whose document is compiled asks no store that outlives the request), and two SHA-256 per
 * request were a measurable part of a small request's CPU (bench/RESULTS.md, issue 20).
 */
class PassThroughCaller implements Caller {
  readonly mode = 'PASS_THROUGH';
  readonly grantedOrgs = null;
  readonly apiKey: string;
  #id: string | undefined;
  #scopeId: string | undefined;

  constructor(apiKey: string) {
    this.apiKey = apiKey;
  }

  get id(): string {
    this.#id ??= hash(`apikey\n${this.apiKey}`);
    return this.#id;
  }

  get authorizationScopeId(): string {
    this.#scopeId ??= passThroughScopeId(this.apiKey);
    return this.#scopeId;
  }

  credentialFor(): string {
    return this.apiKey;
  }
}

export function bffAuthenticator(verify: BffTokenVerifier, orgKeys: OrgKeys): Authenticator {
  return async (headers) => {
    const authorization = single(headers.authorization);
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!bearer) throw new CallerNotAuthenticatedError('Send your sign-in token as "Authorization: Bearer <token>".');
    let verified: Awaited<ReturnType<BffTokenVerifier>>;
    try {
      verified = await verify(bearer);
    } catch (error) {
      if (error instanceof BffTokenRejectedError) {
        throw new CallerNotAuthenticatedError('The sign-in token is invalid or expired. Sign in again.');
      }
      throw error;
    }
    const granted = verified.orgIds.filter((orgId) => orgKeys.has(orgId));
    return {
      mode: 'BFF',
      id: hash(`bff\n${verified.issuer}\n${verified.subject}`),
      authorizationScopeId: bffScopeId(verified.issuer, verified.subject, granted),
      credentialFor(orgId) {
        const key = granted.includes(orgId) ? orgKeys.get(orgId) : undefined;
        if (!key) throw new OrgNotGrantedError(orgId);
        return key;
      },
      grantedOrgs: granted,
      apiKey: undefined,
      expiresAtMs: verified.expiresAtMs,
      clientName: verified.clientName,
    };
  };
}

/** Pass-through: the integration key is the whole authorization context (PharmaOne decides its scopes per org). */
export function passThroughScopeId(apiKey: string): string {
  return hash(`scope\napikey\n${apiKey}`);
}

/** BFF: identity plus the granted orgs, sorted and de-duplicated so claim order does not matter. */
export function bffScopeId(issuer: string, subject: string, grantedOrgs: readonly string[]): string {
  // JSON keeps the parts apart whatever characters an issuer, subject or org id holds.
  return hash(JSON.stringify(['scope', 'bff', issuer, subject, [...new Set(grantedOrgs)].sort()]));
}

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

function hash(text: string): string {
  // One-shot digest(): the same bytes as createHash().update().digest(), without a Hash object.
  return digest('sha256', text, 'base64url');
}
