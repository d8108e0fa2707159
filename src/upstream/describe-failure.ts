// How each classified failure (./classify.ts) is told to a client (DESIGN.md §5): a message and
// extensions safe for anyone to see, never an upstream body, URL, token or stack. Apollo's
// formatError (src/graphql/errors.ts) and the live feed's notices (src/feed/changes/poller.ts)
// both say it this way.
import { MissingScopeError, OrgNotGrantedError } from '../auth/auth-errors.ts';
import { currentRequestId } from '../logging/request-scope.ts';
import { ErrorCode } from './classify.ts';
import type { FailureClass } from './classify.ts';
import { subjectOfRoute } from './routes.ts';
import {
  InvalidUpstreamInputError,
  UnprovenKeyBudgetError,
  UpstreamCallBudgetExceededError,
  UpstreamStatusError,
  UpstreamUnavailableError,
} from './upstream-errors.ts';

type ClientFacing = { message: string; extensions: Record<string, unknown> & { code: ErrorCode } };

/** Message and extensions for a classified failure, safe to show any client. */
export function describeFailure(error: unknown, failure: FailureClass): ClientFacing {
  const { code } = failure;
  const retryAfter = failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {};
  if (error instanceof InvalidUpstreamInputError) return { message: error.message, extensions: { code, reason: failure.reason } };
  if (error instanceof UpstreamCallBudgetExceededError) {
    return {
      message: `This operation reached its limit of ${error.limit} PharmaOne calls; ask for less per request.`,
      extensions: { code, upstreamCallBudget: error.limit },
    };
  }
  if (error instanceof MissingScopeError) {
    return {
      message: `The credential lacks the PharmaOne scope "${error.requiredScope}".`,
      extensions: { code, requiredScope: error.requiredScope },
    };
  }
  if (error instanceof OrgNotGrantedError) return { message: `This caller may not reach org "${error.orgId}".`, extensions: { code } };
  if (error instanceof UpstreamStatusError) return describeStatus(error, failure);
  if (error instanceof UnprovenKeyBudgetError) {
    return {
      message: 'Too many token exchanges for keys PharmaOne has not accepted before; try again after retryAfterSeconds.',
      extensions: { code, reason: failure.reason, ...retryAfter },
    };
  }
  if (error instanceof UpstreamUnavailableError) {
    return {
      message:
        failure.reason === 'rate_limited'
          ? 'PharmaOne is rate limiting requests for this org. Try again after retryAfterSeconds.'
          : `PharmaOne is unavailable right now (${failure.reason}). Try again shortly.`,
      extensions: { code, reason: failure.reason, ...retryAfter },
    };
  }
  if (code === ErrorCode.QUERY_TOO_EXPENSIVE) {
    return {
      message: 'This operation needs more PharmaOne token exchanges than one request may start.',
      extensions: { code, reason: failure.reason },
    };
  }
  return { message: 'PharmaOne is unavailable for this request.', extensions: { code, reason: failure.reason } };
}

function describeStatus(error: UpstreamStatusError, failure: FailureClass): ClientFacing {
  const { code } = failure;
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return { message: 'PharmaOne did not accept the credential for this org.', extensions: { code } };
    case ErrorCode.FORBIDDEN:
      // requiredScope is set only when it is a scope name the contract lists (upstream-session.ts).
      return error.requiredScope
        ? {
            message: `The credential lacks the PharmaOne scope "${error.requiredScope}".`,
            extensions: { code, requiredScope: error.requiredScope },
          }
        : { message: 'The credential may not access this resource.', extensions: { code } };
    case ErrorCode.NOT_FOUND:
      return { message: `${subjectOfRoute(error.route) ?? 'Resource'} not found.`, extensions: { code } };
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      return {
        message:
          error.status === 429
            ? 'PharmaOne is rate limiting requests. Try again shortly.'
            : 'PharmaOne is unavailable right now. Try again shortly.',
        extensions: {
          code,
          upstreamStatus: error.status,
          ...(failure.reason ? { reason: failure.reason } : {}),
          ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        },
      };
    case ErrorCode.BAD_USER_INPUT:
      // upstreamCode is set only when it is an error code the contract lists.
      return {
        message: 'PharmaOne rejected the request as invalid.',
        extensions: { code, ...(error.upstreamCode ? { upstreamCode: error.upstreamCode } : {}) },
      };
    default:
      // Not a status the contract names: logged as unexpected with this request id.
      return {
        message: 'Unexpected answer from PharmaOne.',
        extensions: { code, upstreamStatus: error.status, requestId: currentRequestId() },
      };
  }
}
