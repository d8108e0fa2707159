// A tiny typed client for the pharmaone-graph gateway: fetch plus the typed documents that
// graphql-codegen's client preset generates from schema.graphql and examples/operations/
// (examples/client/generated/). Copy it into an app as a starting point; it needs no GraphQL
// library at run time.
import type { TypedDocumentString } from './generated/graphql.ts';

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** The PharmaOne integration key, sent as the `apikey` header (e.g. `sandbox-org1-key`). */
  apikey: string;
  /** Stop waiting after this long (default 10 s). */
  timeoutMs?: number;
}

/** One entry of a GraphQL response's `errors`: the gateway sets `path` and `extensions.code`. */
export interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * A result as the gateway sends it. Fields that make their own PharmaOne call are nullable, so
 * `data` can be partial: a null field has its reason in `errors` (matched by `path`).
 */
export interface GatewayResult<TResult> {
  data: TResult;
  errors: GraphqlError[];
}

/** The request failed as a whole: not HTTP 200, not GraphQL, or no `data` at all. */
export class GatewayRequestError extends Error {
  readonly status: number;
  readonly errors: GraphqlError[];
  constructor(message: string, status: number, errors: GraphqlError[] = []) {
    super(message);
    this.name = 'GatewayRequestError';
    this.status = status;
    this.errors = errors;
  }
}

/** Variables may be left out when the operation declares none or gives every one a default. */
type VariablesArg<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export function createGatewayClient(options: GatewayClientOptions) {
  return {
    async execute<TResult, TVariables>(
      document: TypedDocumentString<TResult, TVariables>,
      ...[variables]: VariablesArg<TVariables>
    ): Promise<GatewayResult<TResult>> {
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          apikey: options.apikey,
        },
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('json')) {
        throw new GatewayRequestError(`Gateway answered HTTP ${response.status} with ${type || 'no content type'}.`, response.status);
      }
      const body = (await response.json()) as { data?: TResult | null; errors?: GraphqlError[] };
      const errors = body.errors ?? [];
      if (body.data === undefined || body.data === null) {
        const first = errors[0];
        throw new GatewayRequestError(
          first ? `${first.extensions?.code ?? 'ERROR'}: ${first.message}` : `Gateway answered HTTP ${response.status} without data.`,
          response.status,
          errors,
        );
      }
      return { data: body.data, errors };
    },
  };
}

export type GatewayClient = ReturnType<typeof createGatewayClient>;
