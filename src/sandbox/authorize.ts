// Who may call a route, checked in the order the real stack would: the credential (401), the
// org it is for (403 forbidden), then the scope (403 insufficient_scope). JWT routes answer with
// Manager's error bodies; Kong-fronted routes (§7, §8) with Kong's own 401 bodies.
import type { IncomingHttpHeaders } from 'node:http';
import { findApiKey } from './api-keys.ts';
import { errorReply, KONG_INVALID_CREDENTIALS, KONG_NO_API_KEY, notFound, ReplyError } from './errors.ts';
import type { OrgData } from './model.ts';
import type { AuthRule, Principal } from './route-types.ts';
import type { Store } from './store.ts';
import type { TokenAuthority } from './token-authority.ts';

export interface Authorized {
  org: OrgData;
  principal: Principal;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(headers, 'authorization') ?? '');
  return match?.[1];
}

function requireScope(principal: Principal, scope: string): void {
  if (!principal.scopes.includes(scope)) {
    throw new ReplyError(errorReply(403, 'insufficient_scope', `This operation requires the ${scope} scope`, { required_scope: scope }));
  }
}

export function authorize(
  rule: AuthRule,
  params: Record<string, string>,
  headers: IncomingHttpHeaders,
  store: Store,
  tokens: TokenAuthority,
): Authorized {
  switch (rule.kind) {
    case 'apikey-exchange': {
      const presented = headerValue(headers, 'apikey');
      const apiKey = findApiKey(presented);
      if (!apiKey) {
        throw new ReplyError(errorReply(401, 'invalid_api_key', presented ? 'Invalid API key' : 'Missing API key (header apikey)'));
      }
      const org = store.org(params.org ?? '');
      if (!org || apiKey.orgId !== org.id) {
        throw new ReplyError(errorReply(401, 'invalid_api_key', `This API key is not valid for org ${params.org}`));
      }
      return { org, principal: { orgId: apiKey.orgId, scopes: apiKey.scopes, apiKey } };
    }

    case 'jwt': {
      const token = bearerToken(headers);
      if (token === undefined) throw new ReplyError(invalidToken('Missing bearer token (header Authorization: Bearer <token>)'));
      const check = tokens.verify(token);
      if (!check.ok) throw new ReplyError(invalidToken(check.message));
      // A token only ever names an org that exists, so another org in the path — known or not —
      // is simply not this token's business; 403 also avoids telling which orgs exist.
      const org = store.org(params.org ?? '');
      if (!org || check.claims.org_id !== org.id) {
        throw new ReplyError(errorReply(403, 'forbidden', `This token is for org ${check.claims.org_id}, not ${params.org}`));
      }
      const principal: Principal = { orgId: org.id, scopes: check.claims.scopes };
      requireScope(principal, rule.scope);
      return { org, principal };
    }

    case 'kong-apikey': {
      let org: OrgData | undefined;
      if (params.shopId !== undefined) {
        // An unknown shop is an unknown host: nothing (not even Kong) answers for it.
        const found = store.shop(params.shopId);
        if (!found) throw new ReplyError(notFound(`No shop ${params.shopId}`));
        org = found.org;
      } else {
        org = store.org(params.org ?? '');
      }
      const presented = headerValue(headers, 'apikey');
      if (presented === undefined || presented === '') throw new ReplyError(KONG_NO_API_KEY);
      const apiKey = findApiKey(presented);
      if (!apiKey || !org || apiKey.orgId !== org.id) throw new ReplyError(KONG_INVALID_CREDENTIALS);
      const principal: Principal = { orgId: org.id, scopes: apiKey.scopes, apiKey };
      requireScope(principal, rule.scope);
      return { org, principal };
    }
  }
}

function invalidToken(message: string) {
  return { ...errorReply(401, 'invalid_token', message), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
}
