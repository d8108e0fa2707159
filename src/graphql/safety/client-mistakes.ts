// Client mistakes that graphql-js and Apollo would otherwise answer badly, rephrased in one place:
// a 4xx refusal without a code of its own is BAD_REQUEST, and with field suggestions off no error
// message says "Did you mean …?", whichever part of graphql-js wrote it (validation, variable
// coercion, input-object fields, enum values). Refusing a request whose operation cannot be chosen
// is an admission rule (../admission.ts).
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

export const BAD_REQUEST = 'BAD_REQUEST';

// graphql-js (didYouMean) appends exactly this to a message; nothing else in a message ends so.
const SUGGESTION = /\s*Did you mean [\s\S]*\?$/;

/** The message without graphql-js's trailing "Did you mean …?" hint. */
export function withoutSuggestion(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * An error Apollo's request pipeline (or a plugin) raised with a 4xx HTTP status is the client's
 * mistake even when it carries no code (Apollo's "provided sha does not match query" has none, and
 * would be reported as INTERNAL_SERVER_ERROR and logged as unexpected).
 */
export function isClientMistake(error: unknown): boolean {
  const status = (error as GraphQLError | null)?.extensions?.http as { status?: unknown } | undefined;
  return error instanceof GraphQLError && typeof status?.status === 'number' && status.status >= 400 && status.status < 500;
}

/**
 * Wraps a formatError: a client mistake without a code of its own gets BAD_REQUEST, and with
 * suggestions off no formatted error carries "Did you mean …?".
 */
export function formatClientMistakes(
  format: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  options: { suggestions: boolean },
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    let result = format(formatted, error);
    const code = result.extensions?.code;
    if ((code === undefined || code === 'INTERNAL_SERVER_ERROR') && isClientMistake(unwrapResolverError(error))) {
      result = { ...result, extensions: { ...result.extensions, code: BAD_REQUEST } };
    }
    return options.suggestions ? result : { ...result, message: withoutSuggestion(result.message) };
  };
}
