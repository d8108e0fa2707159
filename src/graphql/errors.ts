// Public API: the error codes clients see, and how each classified failure (src/upstream/classify.ts)
// is told to a client (DESIGN.md §5; the words are src/upstream/describe-failure.ts's). Resolvers
// let upstream errors propagate; Apollo's formatError calls formatClientError, so no upstream body,
// URL, token or stack trace can reach a response.
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { classify, ErrorCode } from '../upstream/classify.ts';
import { describeFailure } from '../upstream/describe-failure.ts';
import { currentRequestId } from '../logging/request-scope.ts';

export { codeForUpstreamStatus, ErrorCode } from '../upstream/classify.ts';

/** A GraphQL error a resolver throws on purpose (bad argument, unknown shop id…). */
export function clientError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export function notFound(subject: string, id: string): GraphQLError {
  return clientError(ErrorCode.NOT_FOUND, `${subject} "${id}" was not found.`);
}

/** Errors with a known meaning and a client-safe message; anything else is masked and logged. */
export function isExpectedError(error: unknown): boolean {
  const failure = classify(error);
  if (failure) return failure.code !== ErrorCode.INTERNAL_SERVER_ERROR;
  const code = (error as GraphQLError | null)?.extensions?.code;
  return error instanceof GraphQLError && code !== undefined && code !== ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * Apollo formatError: renders classified failures, keeps errors thrown on purpose, and masks
 * everything else as INTERNAL_SERVER_ERROR.
 */
export function formatClientError() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    const failure = classify(original);
    if (failure) {
      const { message, extensions } = describeFailure(original, failure);
      return { ...base, message, extensions };
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
