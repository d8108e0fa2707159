// The one classification of a failed upstream call (or a refusal the gateway made in its place):
// a pure function from the error to {code, reason, retryable, status}. The GraphQL error renderer
// (src/graphql/errors.ts) and the write runner (src/writes/run-write.ts) both read it, so a
// failure means the same thing to a query and to a mutation.
import { MissingScopeError, OrgNotGrantedError } from '../auth/auth-errors.ts';
import { ShopProxyNotConfiguredError } from './routes.ts';
import {
  InvalidUpstreamInputError,
  TokenExchangeLimitError,
  UnprovenKeyBudgetError,
  UpstreamCallBudgetExceededError,
  UpstreamStatusError,
  UpstreamUnavailableError,
} from './upstream-errors.ts';

/** The error codes clients see (`extensions.code`). */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The operation's PharmaOne fan-out exceeds UPSTREAM_CALL_BUDGET (estimated or counted). */
  QUERY_TOO_EXPENSIVE: 'QUERY_TOO_EXPENSIVE',
  /** The client, or its org, has spent its quota of PharmaOne calls for now (src/graphql/quota/). */
  RATE_LIMITED: 'RATE_LIMITED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FailureClass {
  code: ErrorCode;
  /** Why, in a closed vocabulary (`rate_limited`, `invalid_response`, `invalid_id`, …), or null. */
  reason: string | null;
  /** Whether the same request may succeed later unchanged. */
  retryable: boolean;
  /** PharmaOne's HTTP status, when it answered. */
  status: number | null;
  /** For a write: `not_sent` (certainly did not happen), `unknown` (may have happened), `answered`. */
  delivery: 'not_sent' | 'unknown' | 'answered';
  retryAfterSeconds?: number | undefined;
}

export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 400 || status === 409 || status === 422) return ErrorCode.BAD_USER_INPUT;
  if (status === 429 || status >= 500) return ErrorCode.UPSTREAM_UNAVAILABLE;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

/** Unavailability that a later identical request may not meet. */
const LASTING_REASONS = new Set(['invalid_response', 'too_large']);

/** The class of a failure, or null when it is no known failure (a bug: masked and logged). */
export function classify(failure: unknown): FailureClass | null {
  if (failure instanceof UpstreamStatusError) {
    const retryable = failure.status === 429 || failure.status >= 500;
    return {
      code: codeForUpstreamStatus(failure.status),
      reason: failure.status === 429 ? 'rate_limited' : null,
      retryable,
      status: failure.status,
      // PharmaOne's rate limiter answers before the request runs.
      delivery: failure.status === 429 ? 'not_sent' : failure.status >= 500 ? 'unknown' : 'answered',
      retryAfterSeconds: failure.retryAfterSeconds,
    };
  }
  if (failure instanceof UpstreamUnavailableError) {
    return {
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
      reason: failure.reason,
      retryable: !LASTING_REASONS.has(failure.reason),
      status: null,
      delivery: failure.mayHaveArrived ? 'unknown' : 'not_sent',
      retryAfterSeconds: failure.retryAfterSeconds,
    };
  }
  if (failure instanceof InvalidUpstreamInputError) {
    return { code: ErrorCode.BAD_USER_INPUT, reason: `invalid_${failure.rule}`, retryable: false, status: null, delivery: 'not_sent' };
  }
  if (failure instanceof UpstreamCallBudgetExceededError) {
    return { code: ErrorCode.QUERY_TOO_EXPENSIVE, reason: 'call_budget', retryable: false, status: null, delivery: 'not_sent' };
  }
  if (failure instanceof UnprovenKeyBudgetError) {
    const { retryAfterSeconds } = failure;
    return {
      code: ErrorCode.RATE_LIMITED,
      reason: 'unproven_key_exchanges',
      retryable: true,
      status: null,
      delivery: 'not_sent',
      retryAfterSeconds,
    };
  }
  if (failure instanceof TokenExchangeLimitError) {
    return { code: ErrorCode.QUERY_TOO_EXPENSIVE, reason: 'token_exchanges', retryable: false, status: null, delivery: 'not_sent' };
  }
  if (failure instanceof MissingScopeError) {
    return { code: ErrorCode.FORBIDDEN, reason: 'missing_scope', retryable: false, status: null, delivery: 'not_sent' };
  }
  if (failure instanceof OrgNotGrantedError) {
    return { code: ErrorCode.FORBIDDEN, reason: 'org_not_granted', retryable: false, status: null, delivery: 'not_sent' };
  }
  if (failure instanceof ShopProxyNotConfiguredError) {
    return {
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
      reason: 'shop_proxy_not_configured',
      retryable: false,
      status: null,
      delivery: 'not_sent',
    };
  }
  return null;
}
