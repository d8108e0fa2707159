// Public API: the error codes clients see, and the one map from upstream failures to them
// (DESIGN.md §5). Resolvers let upstream errors propagate; Apollo's formatError calls
// toClientError, so no upstream body, URL, token or stack trace can reach a response.
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { UserError } from '../generated/graphql-resolvers.ts';
import { UpstreamCallBudgetExceededError, UpstreamStatusError, UpstreamUnavailableError } from '../upstream/upstream-errors.ts';
import { MissingScopeError, OrgNotGrantedError } from '../auth/auth-errors.ts';
import { currentRequestId } from '../logging/request-scope.ts';
import { ShopProxyNotConfiguredError } from '../upstream/pharmaone-client.ts';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The operation's PharmaOne fan-out exceeds UPSTREAM_CALL_BUDGET (estimated or counted). */
  QUERY_TOO_EXPENSIVE: 'QUERY_TOO_EXPENSIVE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What each upstream route returns, for messages such as "Order not found". */
const ROUTE_SUBJECTS: Record<string, string> = {
  'GET /orders/{id}': 'Order',
  'PATCH /orders/{id}/status': 'Order',
  'POST /auth/token': 'Org',
};

export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 400 || status === 409 || status === 422) return ErrorCode.BAD_USER_INPUT;
  if (status === 429 || status >= 500) return ErrorCode.UPSTREAM_UNAVAILABLE;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

/** A GraphQL error a resolver throws on purpose (bad argument, unknown shop id…). */
export function clientError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function notFound(subject: string, id: string): GraphQLError {
  return clientError(ErrorCode.NOT_FOUND, `${subject} "${id}" was not found.`);
}

/** Message and extensions for an upstream failure, safe to show any client. */
export function describeUpstreamError(error: UpstreamStatusError | UpstreamUnavailableError): {
  message: string;
  extensions: Record<string, unknown> & { code: ErrorCode };
} {
  if (error instanceof UpstreamUnavailableError) {
    return {
      message: `PharmaOne is unavailable right now (${error.reason}). Try again shortly.`,
      extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, reason: error.reason },
    };
  }
  const code = codeForUpstreamStatus(error.status);
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return { message: 'PharmaOne did not accept the credential for this org.', extensions: { code } };
    case ErrorCode.FORBIDDEN:
      return error.requiredScope
        ? {
            message: `The credential lacks the PharmaOne scope "${error.requiredScope}".`,
            extensions: { code, requiredScope: error.requiredScope },
          }
        : { message: 'The credential may not access this resource.', extensions: { code } };
    case ErrorCode.NOT_FOUND:
      return { message: `${ROUTE_SUBJECTS[error.route] ?? 'Resource'} not found.`, extensions: { code } };
    case ErrorCode.UPSTREAM_UNAVAILABLE:
      return {
        message:
          error.status === 429
            ? 'PharmaOne is rate limiting requests. Try again shortly.'
            : 'PharmaOne is unavailable right now. Try again shortly.',
        extensions: {
          code,
          upstreamStatus: error.status,
          ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
        },
      };
    case ErrorCode.BAD_USER_INPUT:
      return { message: 'PharmaOne rejected the request as invalid.', extensions: { code, upstreamCode: error.upstreamCode } };
    default:
      // Not a status the contract names: logged as unexpected with this request id.
      return {
        message: 'Unexpected answer from PharmaOne.',
        extensions: { code, upstreamStatus: error.status, requestId: currentRequestId() },
      };
  }
}

/** The gateway's own refusals, phrased like PharmaOne's 403s. */
function describeRefusal(error: MissingScopeError | OrgNotGrantedError): {
  message: string;
  extensions: Record<string, unknown> & { code: ErrorCode };
} {
  if (error instanceof MissingScopeError) {
    return {
      message: `The credential lacks the PharmaOne scope "${error.requiredScope}".`,
      extensions: { code: ErrorCode.FORBIDDEN, requiredScope: error.requiredScope },
    };
  }
  return { message: `This caller may not reach org "${error.orgId}".`, extensions: { code: ErrorCode.FORBIDDEN } };
}

/** Errors with a known meaning and a client-safe message; anything else is masked and logged. */
export function isExpectedError(error: unknown): boolean {
  if (error instanceof UpstreamStatusError) return codeForUpstreamStatus(error.status) !== ErrorCode.INTERNAL_SERVER_ERROR;
  if (
    error instanceof UpstreamUnavailableError ||
    error instanceof UpstreamCallBudgetExceededError ||
    error instanceof MissingScopeError ||
    error instanceof OrgNotGrantedError
  ) {
    return true;
  }
  const code = (error as GraphQLError | null)?.extensions?.code;
  return error instanceof GraphQLError && code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * Apollo formatError: maps upstream failures, keeps errors thrown on purpose, and masks
 * everything else as INTERNAL_SERVER_ERROR.
 */
export function formatClientError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof UpstreamStatusError || original instanceof UpstreamUnavailableError) {
      const { message, extensions } = describeUpstreamError(original);
      return { ...base, message, extensions };
    }
    if (original instanceof MissingScopeError || original instanceof OrgNotGrantedError) {
      const { message, extensions } = describeRefusal(original);
      return { ...base, message, extensions };
    }
    if (original instanceof UpstreamCallBudgetExceededError) {
      return {
        ...base,
        message: `This operation reached its limit of ${original.budget} PharmaOne calls; ask for less per request.`,
        extensions: { code: ErrorCode.QUERY_TOO_EXPENSIVE, upstreamCallBudget: original.budget },
      };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError || (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...base, extensions };
    }
    // The request id is also on the log line with the real error (src/graphql/plugins/operation-log.ts).
    return {
      ...base,
      message: 'Internal server error.',
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: currentRequestId() },
    };
  };
}

/**
 * A failed write → the UserError its payload reports (DESIGN.md §5: 400/409/422 become userErrors
 * on mutations). 401 and anything that is not an upstream failure are thrown on as errors.
 * `inputPath` maps PharmaOne's field names back to the mutation's input.
 */
export function userErrorForFailedWrite(
  error: unknown,
  context: { inputPath: (upstreamField: string) => string[] | null; idempotencyKey: string | undefined },
): UserError[] {
  return [...userErrorsFor(error, context)];
}

function* userErrorsFor(
  error: unknown,
  context: { inputPath: (upstreamField: string) => string[] | null; idempotencyKey: string | undefined },
): Generator<UserError> {
  if (
    error instanceof UpstreamUnavailableError ||
    (error instanceof UpstreamStatusError && (error.status === 429 || error.status >= 500))
  ) {
    const certainlyNotDone = error instanceof UpstreamUnavailableError ? !error.mayHaveArrived : error.status === 429;
    if (certainlyNotDone) {
      yield { field: null, code: 'UPSTREAM_UNAVAILABLE', message: 'PharmaOne is unavailable and nothing was written. Try again shortly.' };
      return;
    }
    yield {
      field: null,
      code: 'OUTCOME_UNKNOWN',
      message: context.idempotencyKey
        ? 'PharmaOne did not confirm the write: it may or may not have happened. Retrying with the same idempotencyKey is safe and returns the original outcome without a second write.'
        : 'PharmaOne did not confirm the write: it may or may not have happened. Check before you retry; send an idempotencyKey to make retries safe.',
    };
    return;
  }
  if (error instanceof MissingScopeError || error instanceof OrgNotGrantedError) {
    yield { field: null, code: 'FORBIDDEN', message: describeRefusal(error).message };
    return;
  }
  if (error instanceof ShopProxyNotConfiguredError) {
    yield {
      field: null,
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'This gateway has no shop proxy configured (PHARMAONE_SHOP_URL_TEMPLATE); nothing was sent.',
    };
    return;
  }
  if (!(error instanceof UpstreamStatusError) || error.status === 401) throw error;
  if (error.upstreamCode === 'idempotency_key_reused') {
    yield {
      field: ['input', 'idempotencyKey'],
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: 'This idempotencyKey was already used with a different input.',
    };
    return;
  }
  switch (error.status) {
    case 403:
      yield {
        field: null,
        code: 'FORBIDDEN',
        message: error.requiredScope
          ? `The credential lacks the PharmaOne scope "${error.requiredScope}".`
          : 'The credential may not make this change.',
      };
      return;
    case 404:
      yield { field: null, code: 'NOT_FOUND', message: `${ROUTE_SUBJECTS[error.route] ?? 'The target'} was not found.` };
      return;
    case 409:
      yield {
        field: ['input', 'status'],
        code: 'INVALID_TRANSITION',
        message: 'The order cannot move from its current status to the requested one.',
      };
      return;
    default:
      if (error.fields.length === 0) {
        yield { field: null, code: 'INVALID_INPUT', message: 'PharmaOne rejected the input as invalid.' };
      }
      for (const upstreamField of error.fields) {
        // PharmaOne's own field names stay out of the message: the path says which input it was.
        yield {
          field: context.inputPath(upstreamField),
          code: 'INVALID_INPUT',
          message: 'PharmaOne rejected this value as missing or invalid.',
        };
      }
  }
}
