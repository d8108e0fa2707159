// Client mistakes that graphql-js and Apollo would otherwise answer badly, refused or rephrased
// in one place: a request whose operation cannot be chosen (several operations and no
// operationName, or a name that names none) is a 400 BAD_REQUEST before any plugin sees an
// operation-less request (GraphQL over HTTP: the request is not a well-formed GraphQL request), and
// with field suggestions off no error message says "Did you mean …?", whichever part of
// graphql-js wrote it (validation, variable coercion, input-object fields, enum values).
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

export const BAD_REQUEST = 'BAD_REQUEST';

/** Must run first: later plugins may rely on a resolved operation. */
export function operationChoicePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (operation) return;
          const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
          const message =
            request.operationName === undefined || request.operationName === null
              ? `The document holds ${operations} operations: name the one to run in operationName.`
              : 'operationName names no operation in the document.';
          throw new GraphQLError(message, { extensions: { code: BAD_REQUEST, http: { status: 400 } } });
        },
      };
    },
  };
}

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
