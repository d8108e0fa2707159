// Run-time control of a running sandbox over HTTP, for `npm run sandbox` driven from outside
// (benchmarks, manual testing). Mirrors the SandboxHandle API. These requests are neither
// logged in the call log nor subject to faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_API_KEYS } from '../api-keys.ts';
import type { AuthKind, CallFilter, CallLog } from '../call-log.ts';
import { errorReply, notFound } from '../errors.ts';
import { FaultRuleError, type FaultRule } from '../fault-rules.ts';
import type { FaultController } from '../faults.ts';
import { readBody, sendReply } from '../http-io.ts';
import { createRouter } from '../router.ts';
import type { Reply } from '../route-types.ts';

export interface SandboxControls {
  calls: CallLog;
  faults: FaultController;
  reset(): void;
  tokenLifetimeSeconds(): number;
  setTokenLifetime(seconds: number): void;
  revokeTokens(): void;
  patchOrderWire(orgId: string, orderId: string, fields: Record<string, unknown>): boolean;
  shopUrlTemplate(): string;
}

interface AdminInput {
  query: URLSearchParams;
  body: unknown;
  params: Record<string, string>;
}

interface AdminRoute {
  method: string;
  path: string;
  handle(input: AdminInput): Reply;
}

const NO_CONTENT: Reply = { status: 204 };

function callFilter(query: URLSearchParams): CallFilter {
  const filter: CallFilter = {};
  const route = query.get('route');
  const method = query.get('method');
  const pathPrefix = query.get('pathPrefix');
  const org = query.get('org');
  const authKind = query.get('authKind');
  const afterSeq = query.get('afterSeq');
  if (route !== null) filter.route = route;
  if (method !== null) filter.method = method;
  if (pathPrefix !== null) filter.pathPrefix = pathPrefix;
  if (org !== null) filter.org = org;
  if (authKind !== null) filter.authKind = authKind as AuthKind;
  if (afterSeq !== null) filter.afterSeq = Number(afterSeq);
  return filter;
}

function faultsReply(run: () => void, controls: SandboxControls): Reply {
  try {
    run();
  } catch (error) {
    if (error instanceof FaultRuleError) return errorReply(400, 'bad_request', error.message);
    throw error;
  }
  return { status: 200, body: { data: controls.faults.list() } };
}

function adminRoutes(controls: SandboxControls): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/_sandbox',
      handle: () => ({
        status: 200,
        body: {
          apiKeys: DEMO_API_KEYS.map(({ apiKey, orgId, scopes, description }) => ({ apiKey, orgId, scopes, description })),
          shopUrlTemplate: controls.shopUrlTemplate(),
          tokenLifetimeSeconds: controls.tokenLifetimeSeconds(),
        },
      }),
    },
    {
      method: 'GET',
      path: '/_sandbox/calls',
      handle: ({ query }) => ({ status: 200, body: { data: controls.calls.list(callFilter(query)) } }),
    },
    {
      method: 'DELETE',
      path: '/_sandbox/calls',
      handle: () => {
        controls.calls.clear();
        return NO_CONTENT;
      },
    },
    { method: 'GET', path: '/_sandbox/faults', handle: () => ({ status: 200, body: { data: controls.faults.list() } }) },
    {
      method: 'PUT',
      path: '/_sandbox/faults',
      // Either a list of rules or {"rules": [...]}. The casts are safe: set() and add() validate
      // their input at run time and throw FaultRuleError for anything that is not a rule.
      handle: ({ body }) => {
        const rules = typeof body === 'object' && body !== null && 'rules' in body ? (body as { rules: unknown }).rules : body;
        return faultsReply(() => controls.faults.set(rules as FaultRule[]), controls);
      },
    },
    { method: 'POST', path: '/_sandbox/faults', handle: ({ body }) => faultsReply(() => controls.faults.add(body as FaultRule), controls) },
    {
      method: 'DELETE',
      path: '/_sandbox/faults',
      handle: () => {
        controls.faults.clear();
        return NO_CONTENT;
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/reset',
      handle: () => {
        controls.reset();
        return NO_CONTENT;
      },
    },
    {
      method: 'GET',
      path: '/_sandbox/config',
      handle: () => ({ status: 200, body: { tokenLifetimeSeconds: controls.tokenLifetimeSeconds() } }),
    },
    {
      method: 'PUT',
      path: '/_sandbox/config',
      handle: ({ body }) => {
        const seconds = (body as { tokenLifetimeSeconds?: unknown } | null)?.tokenLifetimeSeconds;
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
          return errorReply(400, 'bad_request', 'tokenLifetimeSeconds must be an integer ≥ 0');
        }
        controls.setTokenLifetime(seconds);
        return { status: 200, body: { tokenLifetimeSeconds: controls.tokenLifetimeSeconds() } };
      },
    },
    {
      method: 'POST',
      path: '/_sandbox/tokens/revoke',
      handle: () => {
        controls.revokeTokens();
        return NO_CONTENT;
      },
    },
    {
      // {"wire": {"created_at": "…", "total_amount": "abc"}}: the order's answers carry these raw values until reset.
      method: 'PATCH',
      path: '/_sandbox/orgs/{org}/orders/{id}',
      handle: ({ body, params }) => {
        const wire = (body as { wire?: unknown } | null)?.wire;
        if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) {
          return errorReply(400, 'bad_request', 'Send {"wire": {<order field>: <raw value>, …}}');
        }
        if (!controls.patchOrderWire(params.org ?? '', params.id ?? '', wire as Record<string, unknown>)) {
          return notFound('No such order');
        }
        return NO_CONTENT;
      },
    },
  ];
}

export function createAdminHandler(
  controls: SandboxControls,
): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  const route = createRouter(adminRoutes(controls));
  return async (request, response, url) => {
    const read = await readBody(request);
    if (read.kind === 'aborted') return;
    const method = (request.method ?? 'GET').toUpperCase();
    const match = route(method, url.pathname);
    if (match.kind === 'not_found') return sendReply(response, notFound(`No sandbox control at ${url.pathname}`));
    if (match.kind === 'method_not_allowed') {
      return sendReply(response, {
        ...errorReply(405, 'method_not_allowed', `Use ${match.allow.join(', ')}`),
        headers: { allow: match.allow.join(', ') },
      });
    }
    if (read.kind === 'too_large') return sendReply(response, errorReply(413, 'payload_too_large', 'Request body exceeds 1 MiB'));
    if (read.kind === 'invalid_json') return sendReply(response, errorReply(400, 'invalid_json', read.message));
    sendReply(
      response,
      match.route.handle({ query: url.searchParams, body: read.kind === 'json' ? read.value : null, params: match.params }),
    );
  };
}
