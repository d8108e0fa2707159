// How the prepared-operation path (./prepared-operations.ts) formats execution errors: exactly as
// Apollo Server does on its own path, so that both answer the same bytes.
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo's error normalisation (errorNormalize.ts), for execution errors: each error as graphql-js
 * formats it, `extensions.code` defaulting to INTERNAL_SERVER_ERROR, an `extensions.http` taken
 * out into the response's status and headers, then the gateway's formatError; a formatter that
 * throws gives Apollo's masked error.
 */
export function formatErrors(
  errors: readonly Error[],
  formatError: FormatError,
): { errors: GraphQLFormattedError[]; status: number | undefined; headers: Array<[string, string]> } {
  let status: number | undefined;
  const headers: Array<[string, string]> = [];
  const formatted = errors.map((error) => {
    try {
      const graphqlError = error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
      const extensions: Record<string, unknown> = {
        ...graphqlError.extensions,
        code: graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR',
      };
      const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
      if (
        http &&
        typeof http === 'object' &&
        (!('status' in http) || typeof http.status === 'number') &&
        (!('headers' in http) || http.headers instanceof Map)
      ) {
        if (typeof http.status === 'number') status = http.status;
        if (http.headers instanceof Map) for (const [name, value] of http.headers) headers.push([String(name), String(value)]);
        delete extensions.http;
      }
      return formatError({ ...graphqlError.toJSON(), extensions }, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { errors: formatted, status, headers };
}
