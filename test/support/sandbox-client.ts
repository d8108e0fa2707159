// An HTTP client for sandbox tests. Every response goes through expectContract, so a sandbox
// answer that drifts from schema/pharmaone.openapi.yaml fails the test that provoked it. Only
// answers the contract deliberately does not describe (unknown routes, 413, the /_sandbox
// control API) opt out with `contract: false`.
import { Agent, request } from 'undici';
import type { components } from '../../src/generated/pharmaone-rest.ts';
import { expectContract } from './contract.ts';

/**
 * A body shape from schema/pharmaone.openapi.yaml, e.g. `RestSchema<'OrderList'>`. Honest as a
 * response type because every response is checked against the same contract at run time.
 */
export type RestSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

export const ORG1_KEY = 'sandbox-org1-key';
export const ORG1_READONLY_KEY = 'sandbox-org1-readonly';
export const ORG2_KEY = 'sandbox-org2-key';

export function manager(org = 'org1'): string {
  return `/api/v2/public/orgs/${org}`;
}

export interface SandboxResponse<Body = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: Body;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean>;
  /** Serialised as JSON. */
  json?: unknown;
  /** Sent as is, for malformed bodies. */
  rawBody?: string;
  token?: string;
  apikey?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** Fail with undici's timeout error when no response headers arrive in time. */
  timeoutMs?: number;
  /** Validate against the OpenAPI contract (default true). */
  contract?: boolean;
}

export interface SandboxClient {
  request<Body = unknown>(method: string, path: string, options?: RequestOptions): Promise<SandboxResponse<Body>>;
  get<Body = unknown>(path: string, options?: RequestOptions): Promise<SandboxResponse<Body>>;
  post<Body = unknown>(path: string, options?: RequestOptions): Promise<SandboxResponse<Body>>;
  patch<Body = unknown>(path: string, options?: RequestOptions): Promise<SandboxResponse<Body>>;
  /** A fresh token from §1 for the key's org (or `org`). */
  token(apikey?: string, org?: string): Promise<string>;
  close(): Promise<void>;
}

export function createSandboxClient(baseUrl: () => string): SandboxClient {
  const agent = new Agent({ keepAliveTimeout: 1_000 });

  async function send<Body>(method: string, path: string, options: RequestOptions = {}): Promise<SandboxResponse<Body>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.apikey !== undefined) headers.apikey = options.apikey;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (options.rawBody !== undefined) body = options.rawBody;
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const query = options.query
      ? `?${new URLSearchParams(Object.entries(options.query).map(([name, value]): [string, string] => [name, String(value)])).toString()}`
      : '';

    const response = await request(`${baseUrl()}${path}${query}`, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: agent,
      ...(options.timeoutMs === undefined ? {} : { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs }),
    });
    const text = await response.body.text();
    let parsed: unknown = text === '' ? undefined : text;
    if (text !== '' && String(response.headers['content-type'] ?? '').includes('json')) parsed = JSON.parse(text);
    const result = { status: response.statusCode, headers: response.headers, body: parsed as Body };
    if (options.contract !== false) expectContract({ method, path, status: result.status, body: result.body, headers: result.headers });
    return result;
  }

  return {
    request: send,
    get: (path, options) => send('GET', path, options),
    post: (path, options) => send('POST', path, options),
    patch: (path, options) => send('PATCH', path, options),
    async token(apikey = ORG1_KEY, org?: string) {
      const targetOrg = org ?? (apikey === ORG2_KEY ? 'org2' : 'org1');
      const response = await send<{ access_token: string }>('POST', `${manager(targetOrg)}/auth/token`, { apikey });
      if (response.status !== 200) throw new Error(`token exchange failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.access_token;
    },
    close: () => agent.close(),
  };
}
