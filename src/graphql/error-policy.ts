// The one error policy: how the errors of an operation become what a client receives, on every
// transport — Apollo's POST and GET (as its formatError), the prepared path, graphql-ws,
// graphql-sse. Its rules, in order:
//
// 1. An error that is not a GraphQLError becomes one with that error as its cause.
// 2. A gateway error names the HTTP status of its answer in `extensions.http.status` (the
//    convention Apollo documents for errors that set the response status); the status is taken
//    out and never sent. Gateway errors name no headers.
// 3. An error without `extensions.code` is INTERNAL_SERVER_ERROR.
// 4. The error map (./errors.ts): classified PharmaOne failures get their client-safe message,
//    errors thrown on purpose keep theirs, anything else is masked and logged.
// 5. Client mistakes (./safety/client-mistakes.ts): a 4xx refusal without a code of its own is
//    BAD_REQUEST, and with field suggestions off no message says "Did you mean …?".
// 6. Should formatting itself throw, the client gets the masked internal error.
//
// Apollo applies 1–3 itself before it calls formatError and 6 around it; formatError applies them
// again (they are idempotent), so its answer is this policy's on every path, whoever runs first.
// test/graph/prepared-operations.test.ts and the admission matrix compare the transports' bytes.
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, formatClientError } from './errors.ts';
import { formatClientMistakes } from './safety/client-mistakes.ts';

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface FormattedErrors {
  errors: GraphQLFormattedError[];
  /** The status the errors name (the last that names one), or undefined: the transport's default. */
  status: number | undefined;
}

export interface ErrorPolicy {
  /** Apollo's formatError hook: rules 1–6 on what Apollo has made of `error`. */
  formatError: FormatError;
  /** The errors of one operation as every transport sends them, and the HTTP status they name. */
  format(errors: readonly unknown[]): FormattedErrors;
}

const MASKED: GraphQLFormattedError = { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };

export function createErrorPolicy(options: { suggestions: boolean }): ErrorPolicy {
  const mapErrors = formatClientMistakes(formatClientError(), options);

  function formatOne(error: unknown, formatted: GraphQLFormattedError): GraphQLFormattedError {
    try {
      const { extensions } = withoutStatus(formatted);
      return mapErrors({ ...formatted, extensions: { ...extensions, code: extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR } }, error);
    } catch {
      return MASKED;
    }
  }

  return {
    formatError: (formatted, error) => formatOne(error, formatted),
    format(errors) {
      let status: number | undefined;
      const formatted = errors.map((error) => {
        const graphqlError = asGraphqlError(error);
        status = statusOf(graphqlError) ?? status;
        return formatOne(error, graphqlError.toJSON());
      });
      return { errors: formatted, status };
    },
  };
}

function asGraphqlError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const message = error instanceof Error ? error.message : 'Unexpected error value';
  return new GraphQLError(message, { originalError: error instanceof Error ? error : undefined });
}

/** Rule 2: the status a gateway error names, if any. */
export function statusOf(error: GraphQLError): number | undefined {
  const http = error.extensions.http as { status?: unknown } | undefined;
  return typeof http?.status === 'number' ? http.status : undefined;
}

function withoutStatus(formatted: GraphQLFormattedError): { extensions: Record<string, unknown> } {
  const { http: _http, ...extensions } = formatted.extensions ?? {};
  return { extensions };
}
