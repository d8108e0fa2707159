// The per-request side of the PharmaOne client: one session per GraphQL operation, holding what
// belongs to that request only — whose credentials, the call budget and its counter, the trace,
// the deadline, and the tokens this request already obtained. Every HTTP request the operation
// causes (attempts, retries, token exchanges) passes `onAttempt` and counts against the budget.
// The client methods over it are in pharmaone-client.ts; the route facts in routes.ts.
import { MissingScopeError } from '../auth/auth-errors.ts';
import type { UpstreamHttp, UpstreamResponse } from './http.ts';
import type { Deadline } from './resilience/deadline.ts';
import { raceAbort } from './resilience/deadline.ts';
import { createExchangeQueues } from './exchange-queue.ts';
import { checkedAnswer } from './response-shape.ts';
import type { ResponseOf, RouteKey } from './routes.ts';
import { buildRouteUrl, methodOf, ROUTE_BY_OPERATION, ROUTES } from './routes.ts';
import { credentialHash as tokenCredentialHash } from './token-broker.ts';
import type { IntegrationToken, TokenBroker, TokenScope } from './token-broker.ts';
import { tokenPath } from './token-path.ts';
import { upstreamId } from './upstream-ids.ts';
import type { UpstreamLimits } from './upstream-limits.ts';
import { TokenExchangeLimitError, UpstreamCallBudgetExceededError, UpstreamUnavailableError } from './upstream-errors.ts';

export interface UpstreamCallRecord {
  method: string;
  /** Route template, e.g. `GET /orders/{id}`: what logs and metrics may show (no ids, no query). */
  route: string;
  /** Path and query as sent, relative to the upstream origin. */
  path: string;
  status: number | 'unavailable';
  ms: number;
  /** True for a lookup served from a cache without an HTTP call (tokens). */
  cached: boolean;
}

/** Which integration key to use for an org: the caller's own (pass-through) or the operator's (BFF). */
export interface UpstreamCredentials {
  credentialFor(orgId: string): string;
}

/** What every session shares: the HTTP stack, the token broker and where PharmaOne lives. */
export interface PharmaOneClientDeps {
  http: UpstreamHttp;
  broker: TokenBroker;
  baseUrl: string;
  shopUrlTemplate: string | undefined;
  /** Defaults to DEFAULT_UPSTREAM_LIMITS. */
  limits?: Pick<UpstreamLimits, 'maxTokenExchangesPerOperation'> | undefined;
}

export interface UpstreamSessionOptions {
  deps: PharmaOneClientDeps;
  credentials: UpstreamCredentials;
  /** Every upstream HTTP request of the operation is appended here. */
  trace?: UpstreamCallRecord[] | undefined;
  /** Most HTTP requests the operation may cause (UPSTREAM_CALL_BUDGET). */
  maxCalls?: number | undefined;
  deadline?: Deadline | undefined;
}

export interface RouteCall {
  orgId: string;
  /** Other path values (`id`), and `shopId` for shop-host routes. */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  body?: unknown;
  idempotencyKey?: string | undefined;
}

export interface UpstreamSession {
  /** One call of a route: URL built and checked, token, scope, budget, answer checked. */
  call<K extends RouteKey>(route: K, input: RouteCall): Promise<ResponseOf<K>>;
  /** The org's JWT for this request, exchanging the caller's key if none is cached. */
  token(orgId: string): Promise<IntegrationToken>;
  /** The unexpired tokens an integration key holds (pass-through viewer; no upstream call). */
  heldTokens(apiKey: string): IntegrationToken[];
}

const TOKEN_ROUTE = ROUTE_BY_OPERATION.exchangeToken;
const TOKEN_METHOD = methodOf(TOKEN_ROUTE);
const TOKEN_LABEL = ROUTES[TOKEN_ROUTE].label;

export function createUpstreamSession(options: UpstreamSessionOptions): UpstreamSession {
  const { deps, credentials, deadline } = options;
  const targets = { baseUrl: deps.baseUrl, shopUrlTemplate: deps.shopUrlTemplate };
  const books = createSessionBooks(options);
  const tokens = createSessionTokens(options, books, targets);

  async function call<K extends RouteKey>(route: K, input: RouteCall): Promise<ResponseOf<K>> {
    const spec = ROUTES[route];
    const method = methodOf(route);
    // Built (and every id checked) before anything else: an invalid id costs no call, not even a token.
    const { url, origin, path } = buildRouteUrl(route, targets, { params: { org: input.orgId, ...input.params }, query: input.query });
    const send = (headers: Record<string, string>) =>
      deps.http.send({
        method,
        url,
        origin,
        path,
        route: spec.label,
        headers: input.idempotencyKey === undefined ? headers : { ...headers, 'idempotency-key': input.idempotencyKey },
        body: input.body,
        orgId: input.orgId,
        // The table's retry class decides: reads may be retried, writes are sent exactly once.
        idempotent: spec.retry === 'read',
        signal: deadline?.signal,
        deadlineAt: deadline?.expiresAt,
        onAttempt: books.attemptHook(method, spec.label, path),
        rateLimitKey: books.keysOf(input.orgId).rateLimitKey,
      });

    let res: UpstreamResponse;
    if (spec.auth === 'apikey') {
      res = await send({ apikey: credentials.credentialFor(input.orgId) });
    } else {
      for (let attempt = 1; ; attempt++) {
        const current = await tokens.token(input.orgId);
        // Refuse locally what PharmaOne would refuse with 403 (tokens without a scopes claim are refused at the exchange).
        if (spec.scope !== null && !current.scopes.includes(spec.scope)) throw new MissingScopeError(spec.label, spec.scope);
        res = await send({ authorization: bearerOf(current) });
        // A token can die before its exp (revoked, rotated secret): refresh once, then give up.
        if (res.status === 401 && attempt === 1) {
          deps.broker.invalidate(books.scopeFor(input.orgId), current);
          tokens.forget(input.orgId);
          continue;
        }
        break;
      }
    }
    const body = checkedAnswer(route, res);
    return (spec.paged ? cutToPage(body, input.query?.limit) : body) as ResponseOf<K>;
  }

  return { call, token: tokens.token, heldTokens: (apiKey) => deps.broker.heldTokens(deps.baseUrl, apiKey) };
}

type SessionBooks = ReturnType<typeof createSessionBooks>;

/** One request's books: its credentials' keys, and the HTTP requests it caused, counted against its budget and traced. */
function createSessionBooks(options: UpstreamSessionOptions) {
  const { deps, credentials, trace } = options;
  const maxCalls = options.maxCalls ?? Number.POSITIVE_INFINITY;
  let callsMade = 0;
  // Every call of an org needs its credential's hash (rate-limit key, exchange queue, the token
  // cache's key): hashed once per org per request, not per call (a 45-order read makes 46 calls)
  // nor once more by the token broker. An org's credential does not change within a request.
  const credentialKeys = new Map<string, { credential: string; rateLimitKey: string; scope: TokenScope }>();

  function keysOf(orgId: string): { credential: string; rateLimitKey: string; scope: TokenScope } {
    let keys = credentialKeys.get(orgId);
    if (keys === undefined) {
      const apiKey = credentials.credentialFor(orgId);
      const full = tokenCredentialHash(apiKey);
      const credential = full.slice(0, 22);
      keys = { credential, rateLimitKey: `${orgId}\n${credential}`, scope: { baseUrl: deps.baseUrl, orgId, apiKey, credential: full } };
      credentialKeys.set(orgId, keys);
    }
    return keys;
  }

  return {
    scopeFor: (orgId: string): TokenScope => keysOf(orgId).scope,
    keysOf,

    /** The hook the HTTP stack calls before each attempt: counts it, then records how it went. */
    attemptHook(method: string, label: string, path: string) {
      return () => {
        // The estimate before execution is an upper bound; this is the hard stop if it ever is not.
        if (callsMade >= maxCalls) throw new UpstreamCallBudgetExceededError(maxCalls);
        callsMade += 1;
        const started = performance.now();
        return (status: number | 'unavailable') => {
          trace?.push({ method, route: label, path, status, ms: elapsed(started), cached: false });
        };
      };
    },
  };
}

/**
 * The tokens of one request: each org's looked up once (fields asking at the same time share the
 * lookup), at most `maxTokenExchangesPerOperation` exchanges started, none after the deadline.
 */
function createSessionTokens(
  options: UpstreamSessionOptions,
  books: SessionBooks,
  targets: { baseUrl: string; shopUrlTemplate: string | undefined },
) {
  const { deps, trace, deadline } = options;
  const maxExchanges = deps.limits?.maxTokenExchangesPerOperation ?? Number.POSITIVE_INFINITY;
  let exchangesStarted = 0;
  // A token obtained for this request serves this request (even one PharmaOne says expires at once);
  // fields asking at the same time share one lookup.
  const tokensOfThisRequest = new Map<string, Promise<IntegrationToken>>();
  // Shows a cached token once per org in the trace, not once per call.
  const tracedCachedTokens = new Set<string>();
  // At most one refused exchange per credential in this operation (exchange-queue.ts says why).
  const exchangeQueue = createExchangeQueues();

  function token(orgId: string): Promise<IntegrationToken> {
    upstreamId('orgId', orgId);
    let held = tokensOfThisRequest.get(orgId);
    if (!held) {
      let cached: IntegrationToken | undefined;
      try {
        cached = fromMemory(orgId);
      } catch (error) {
        held = Promise.reject(error);
      }
      if (cached !== undefined) {
        held = Promise.resolve(cached);
      } else {
        held ??= lookUpToken(orgId);
        // A failed lookup is not kept: the next field asks again (the broker remembers refusals).
        held.catch(() => tokensOfThisRequest.delete(orgId));
      }
      tokensOfThisRequest.set(orgId, held);
    }
    return held;
  }

  /**
   * What lookUpToken answers from the broker's memory, answered now and without what only an
   * exchange needs (its hooks, the deadline's race): the same fresh token and trace entry, or the
   * same remembered refusal, thrown after telling the same queue. Undefined: lookUpToken answers
   * (nothing cached, or past the deadline, where it refuses with the deadline's error).
   */
  function fromMemory(orgId: string): IntegrationToken | undefined {
    const { broker } = deps;
    if (broker.cachedToken === undefined || deadline?.signal.aborted) return undefined;
    const keys = books.keysOf(orgId);
    const cached = broker.cachedToken(keys.scope, exchangeQueue(keys.credential));
    if (cached !== undefined && !tracedCachedTokens.has(orgId)) traceCachedToken(orgId, 0);
    return cached;
  }

  /** A token another request fetched (or a cached one) shows once, as a lookup without an HTTP call of ours. */
  function traceCachedToken(orgId: string, ms: number, path?: string): void {
    tracedCachedTokens.add(orgId);
    trace?.push({ method: TOKEN_METHOD, route: TOKEN_LABEL, path: path ?? tokenPath(targets, orgId), status: 200, ms, cached: true });
  }

  async function lookUpToken(orgId: string): Promise<IntegrationToken> {
    const started = performance.now();
    const path = tokenPath(targets, orgId);
    let startedHere = false;
    const deadlinePassed = () => new UpstreamUnavailableError({ route: TOKEN_LABEL, reason: 'deadline', mayHaveArrived: false });
    const lookup = deps.broker.getToken(books.scopeFor(orgId), {
      beforeExchange: () => {
        // A lookup that waited in its queue past the deadline starts nothing: its caller has stopped waiting.
        if (deadline?.signal.aborted) throw deadlinePassed();
        if (exchangesStarted >= maxExchanges) throw new TokenExchangeLimitError(maxExchanges);
        exchangesStarted += 1;
        startedHere = true;
      },
      onAttempt: books.attemptHook(TOKEN_METHOD, TOKEN_LABEL, path),
      rateLimitKey: books.keysOf(orgId).rateLimitKey,
      queue: exchangeQueue(books.keysOf(orgId).credential),
    });
    // The exchange is shared with other requests, so it runs on; only this request stops waiting.
    const result = await raceAbort(lookup, deadline?.signal, deadlinePassed);
    if (!startedHere && (!result.cached || !tracedCachedTokens.has(orgId))) {
      traceCachedToken(orgId, result.cached ? 0 : elapsed(started), path);
    }
    return result.token;
  }

  return {
    token,
    /** PharmaOne refused the org's token: the next call of this request looks one up again. */
    forget: (orgId: string) => tokensOfThisRequest.delete(orgId),
  };
}

/** A list answer never carries more rows than the page asked for, whatever PharmaOne sent. */
function cutToPage(body: unknown, limit: string | number | boolean | undefined): unknown {
  const page = body as { data: unknown[] };
  if (typeof limit !== 'number' || page.data.length <= limit) return body;
  return { ...page, data: page.data.slice(0, limit) };
}

/** `Bearer <jwt>` per token, built once: every call of every request holding the token sends it. */
const bearers = new WeakMap<IntegrationToken, string>();

function bearerOf(token: IntegrationToken): string {
  let bearer = bearers.get(token);
  if (bearer === undefined) {
    bearer = `Bearer ${token.accessToken}`;
    bearers.set(token, bearer);
  }
  return bearer;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
