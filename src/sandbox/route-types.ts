// What a resource route declares and receives. The request pipeline (pipeline.ts) does the
// shared work — authentication, org and scope checks, JSON bodies, idempotency — so each route
// file only says which scope it needs and what it answers.
import type { IncomingHttpHeaders } from 'node:http';
import type { DemoApiKey, Scope } from './api-keys.ts';
import type { OrgData } from './model.ts';
import type { Store } from './store.ts';
import type { TokenAuthority } from './token-authority.ts';

export interface Reply {
  status: number;
  /** Serialised as JSON; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type JsonObject = Record<string, unknown>;

export type AuthRule =
  /** §1: header apikey, answered with Manager-style invalid_api_key errors. */
  | { kind: 'apikey-exchange' }
  /** Authorization: Bearer <jwt> issued for the path's org, carrying `scope`. */
  | { kind: 'jwt'; scope: Scope }
  /** Header apikey checked by Kong (§7, §8): Kong's 401 bodies, then the key's scopes. */
  | { kind: 'kong-apikey'; scope: Scope };

export interface Principal {
  orgId: string;
  scopes: readonly string[];
  apiKey?: DemoApiKey;
}

export interface SandboxServices {
  store: Store;
  tokens: TokenAuthority;
  /** The base URL clients use (normally the listening address): shop URLs in §2 point here. */
  publicUrl(): string;
  /** One HTTP request to this same server, as a shop proxy makes it to the Manager. */
  forward(request: ForwardedRequest): Promise<Reply>;
}

export interface ForwardedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON object body for routes that take one, otherwise {}. */
  body: JsonObject;
  headers: IncomingHttpHeaders;
  org: OrgData;
  principal: Principal;
  services: SandboxServices;
}

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  auth: AuthRule;
  /** Expects a JSON object body (400 invalid_json otherwise). */
  takesBody?: boolean;
  /** Honours Idempotency-Key: a replay answers the stored reply, a reused key with a different body 422. */
  idempotent?: boolean;
  handle(context: RouteContext): Reply | Promise<Reply>;
}
