// Who a client is, for its quota and its usage: the caller's org, the caller's authorization scope
// (the integration key, or the BFF subject with its grants) and a client name. The name comes from
// the BFF sign-in token when it names its OAuth client (`azp`, else `client_id`: no header can
// change it), else from the `apollographql-client-name` or `graphql-client-name` header; without a
// valid name the client is the caller as a whole. A name is a label a caller chooses: it splits
// one caller's quota fairly among cooperating clients, while the org's quota, which no name
// escapes, bounds them all.
//
// The org is the PharmaOne allowance the caller spends: in BFF mode the orgs its token grants (the
// operator's key of each), in pass-through mode the integration key itself, which PharmaOne issues
// to one org (the gateway learns which only at the token exchange, so QUOTA_ORG_OVERRIDES, keyed by
// org id, reach BFF callers granted that one org).
import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from '../../auth/caller.ts';
import { CLIENT_NAME } from './quota-settings.ts';

export interface ClientIdentity {
  /** The client name, valid by CLIENT_NAME; undefined: the caller as a whole. */
  name: string | undefined;
  /** The client's bucket key: a hash of scope and name (fixed size, nothing readable). */
  clientKey: string;
  /** The org's bucket key, hashed alike. */
  orgKey: string;
  /** The org id QUOTA_ORG_OVERRIDES may name; undefined when the caller's org is not one known id. */
  orgId: string | undefined;
}

const NAME_HEADERS = ['apollographql-client-name', 'graphql-client-name'] as const;

export function clientNameOf(caller: Caller, headers: IncomingHttpHeaders): string | undefined {
  if (caller.clientName !== undefined) return CLIENT_NAME.test(caller.clientName) ? caller.clientName : undefined;
  for (const header of NAME_HEADERS) {
    const value = headers[header];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (text) return CLIENT_NAME.test(text) ? text : undefined;
  }
  return undefined;
}

export function identifyClient(caller: Caller, name: string | undefined): ClientIdentity {
  const granted = caller.grantedOrgs === null ? undefined : [...new Set(caller.grantedOrgs)].sort();
  return {
    name,
    clientKey: digest(`client\n${caller.authorizationScopeId}\n${name ?? ''}`),
    orgKey: orgKeyOf(granted === undefined ? { scopeId: caller.authorizationScopeId } : { granted }),
    orgId: granted?.length === 1 ? granted[0] : undefined,
  };
}

/**
 * The org bucket's key: a pass-through caller's key (by its scope id), or the orgs a BFF caller is
 * granted. A feed scope (one org, one credential) names the same bucket as its subscribers.
 */
export function orgKeyOf(org: { scopeId: string } | { granted: readonly string[] }): string {
  return digest('scopeId' in org ? `org\nkey\n${org.scopeId}` : `org\norgs\n${JSON.stringify(org.granted)}`);
}

function digest(text: string): string {
  return hash('sha256', text, 'base64url');
}
