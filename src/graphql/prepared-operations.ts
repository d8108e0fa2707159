// Prepared operations: the fast path for queries the gateway has already accepted once.
//
// Apollo Server's request pipeline costs several times what executing a small query costs (the
// query's SHA-256, document store, validation cache, a dozen plugin hooks, header maps, response
// assembly): for `{ __typename }` most of 0.2 ms of CPU per request (bench/RESULTS.md, issue 14).
// So every document is accepted by Apollo the first time, with every rule: parsed under the token
// limit, validated with the query-limit, introspection and safelist rules, its operation chosen,
// its size checked, its fan-out estimated. When such a query reaches execution, its parsed
// document and chosen operation are kept here, keyed by the query text and the operationName
// sent. A later POST of the same text and name runs here instead, with the same parts Apollo's
// path uses: the context factory, the admission (./admission.ts) on this request's variables, the
// executor (jit-executor.ts), the error formatter, the log and trace notes, the cache-control rule,
// the same bytes and headers (test/graph/prepared-operations.test.ts compares both paths).
//
// A persisted query sent by hash alone (APQ) whose hash Apollo has resolved once runs here too,
// kept by its hash (for as long as it is kept here, even if the APQ store has let the text go: a
// hash names one text for good); registering one (text and hash together) is Apollo's work.
//
// Anything else goes to Apollo unchanged, decided before any resolver runs: mutations and
// subscriptions, GET, persisted-query registrations and unknown hashes, unknown body fields, a cacheable query while the
// response cache is on (the cache lives in Apollo's plugin), a request the admission refuses (its
// variables do not coerce, a rule on them refuses, the estimate is over the budget), a context
// that cannot be built (401). Apollo then answers exactly as it always did. Off in subgraph mode
// and with GATEWAY_DEBUG_UPSTREAM, whose plugins shape each answer, and with
// GRAPHQL_PREPARED_OPERATIONS=false.
//
// Memory: at most MAX_PREPARED texts (least recently used first out), each at most the document
// size limit, each parsed under the token limit; a compiled plan lives only as long as its document.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Admission } from './admission.ts';
import type { OperationExecutor } from './jit-executor.ts';
import { UNCACHEABLE, cacheControlValue, isCacheable, operationCachePolicy } from './plugins/cache-policy.ts';
import { logUnexpectedErrors, noteResolvedOperation } from './plugins/operation-log.ts';
import type { OperationLogDeps } from './plugins/operation-log.ts';

/** Distinct (query text, operationName) pairs kept; a client fleet sends a few dozen. */
export const MAX_PREPARED = 512;

interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's own name, or null when anonymous (what Apollo reports and executes by). */
  name: string | null;
  /** The text Apollo admitted and its SHA-256: what the admission's document rules read. */
  source: string;
  queryHash: string;
  /** `cache-control` of an answer without errors. */
  cacheControl: string;
  /**
   * No variables declared: nothing in a request can change the admission's answer, which Apollo
   * gave (admitted) when it kept this entry.
   */
  admitted: boolean;
}

/** A request body this path may serve: nothing in it that Apollo treats specially. */
interface PlainRequest {
  /** The query text, or for a persisted query sent by hash alone, persistedKey(hash). */
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

export interface PreparedAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface PreparedOperations {
  /** Apollo plugin: keeps each query that reached execution. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** The answer, or undefined when Apollo must serve this request (nothing has run then). */
  serve(body: unknown, buildContext: () => Promise<unknown>): Promise<PreparedAnswer | undefined>;
  /** Requests served here and handed to Apollo, since start (metrics, tests). */
  stats(): { served: number; handedToApollo: number };
}

export function createPreparedOperations(deps: {
  schema: GraphQLSchema;
  execute: OperationExecutor;
  /** The admission Apollo runs (./admission.ts): run again here on each request's variables. */
  admission: Admission;
  formatError: FormatError;
  log: OperationLogDeps;
  /** With a response cache, cacheable queries stay on Apollo's path, where the cache is. */
  responseCache: boolean;
  maxEntries?: number;
}): PreparedOperations {
  const { schema, execute, admission } = deps;
  const maxEntries = deps.maxEntries ?? MAX_PREPARED;
  // By query text, then by the operationName sent ("" names no operation, unlike an absent one).
  // Map order is insertion order: re-inserting on use keeps the least recently used text first.
  const prepared = new Map<string, Map<string | undefined, PreparedOperation>>();
  let count = 0;
  let served = 0;
  let handedToApollo = 0;

  function lookup(request: PlainRequest): PreparedOperation | undefined {
    const byName = prepared.get(request.query);
    if (!byName) return undefined;
    prepared.delete(request.query);
    prepared.set(request.query, byName);
    return byName.get(request.operationName);
  }

  function remember(query: string, operationName: string | undefined, entry: PreparedOperation): void {
    const byName = prepared.get(query) ?? new Map<string | undefined, PreparedOperation>();
    if (!byName.has(operationName)) count++;
    byName.set(operationName, entry);
    prepared.delete(query);
    prepared.set(query, byName);
    while (count > maxEntries) {
      const [oldest, names] = prepared.entries().next().value ?? [];
      if (oldest === undefined || names === undefined) break;
      prepared.delete(oldest);
      count -= names.size;
    }
  }

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        // Reached only when parsing, validation, the operation choice and every didResolveOperation
        // rule passed, and the response cache had no answer.
        async executionDidStart({ source, queryHash, document, operation, request, schema: served }) {
          if (operation.operation !== 'query' || served !== schema || source === undefined) return;
          const policy = operationCachePolicy(schema, document, operation);
          if (deps.responseCache && isCacheable(policy)) return;
          const entry: PreparedOperation = {
            document,
            operation,
            name: operation.name?.value ?? null,
            source,
            queryHash,
            cacheControl: cacheControlValue(policy),
            admitted: !operation.variableDefinitions?.length,
          };
          const operationName = request.operationName ?? undefined;
          remember(source, operationName, entry);
          // Sent by persisted-query hash (Apollo found the text by it, or checked it against the text): kept by the hash too.
          const hash = persistedQueryHash(request.extensions?.persistedQuery);
          if (hash !== undefined && hash === queryHash) remember(persistedKey(hash), operationName, entry);
        },
      };
    },
  };

  async function serve(body: unknown, buildContext: () => Promise<unknown>): Promise<PreparedAnswer | undefined> {
    const request = plainRequest(body);
    const entry = request && lookup(request);
    if (!request || !entry || !admits(entry, request)) {
      handedToApollo++;
      return undefined;
    }
    let context: unknown;
    try {
      context = await buildContext();
    } catch {
      // Apollo answers a context that cannot be built (401 and its body); the same build fails there again.
      handedToApollo++;
      return undefined;
    }
    served++;
    noteResolvedOperation(deps.log, entry.operation.operation, entry.name);
    const result = await execute({
      document: entry.document,
      operation: entry.operation,
      operationName: entry.name,
      variables: request.variables,
      context,
    });
    return answer(entry, result);
  }

  /** The admission, on this request: what it refuses is left to Apollo, which refuses it with the same rule. */
  function admits(entry: PreparedOperation, request: PlainRequest): boolean {
    if (entry.admitted) return true;
    const { document, operation, source, queryHash } = entry;
    return (
      admission.refusal({ document, operation, source, queryHash, operationName: request.operationName, variables: request.variables }) ===
      undefined
    );
  }

  /** Apollo's response for an execution result: formatted errors first, then data, then extensions; status 200 unless an error names one. */
  function answer(entry: PreparedOperation, result: ExecutionResult): PreparedAnswer {
    const headers: Array<[string, string]> = [];
    let status = 200;
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) {
      logUnexpectedErrors(deps.log, result.errors);
      const formatted = formatErrors(result.errors, deps.formatError);
      errors = formatted.errors;
      status = formatted.status ?? status;
      headers.push(...formatted.headers);
      deps.log.tracing.operationFailed(result.errors.length, result.data !== null && result.data !== undefined);
    }
    headers.push(['cache-control', errors ? UNCACHEABLE : entry.cacheControl]);
    const body = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
    return { status, headers, body };
  }

  return { plugin, serve, stats: () => ({ served, handedToApollo }) };
}

/**
 * The key a persisted query sent by hash alone is kept under: no query text can equal it (a NUL
 * character does not parse).
 */
function persistedKey(sha256Hash: string): string {
  return `\u0000apq:${sha256Hash}`;
}

/**
 * The body, if it is a POST body with nothing but a query text or a persisted-query hash (APQ
 * version 1; a hash alone, since a text with a hash registers it, which is Apollo's work), an
 * operationName, variables and other extensions (which only the persisted-query rules read).
 */
function plainRequest(body: unknown): PlainRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  let query: string | undefined;
  let persisted: string | undefined;
  let operationName: string | undefined;
  let variables: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (name === 'query' && typeof value === 'string') query = value;
    else if (name === 'operationName' && (typeof value === 'string' || value === null)) operationName = value ?? undefined;
    else if (name === 'variables' && value === null) variables = {};
    else if (name === 'variables' && isRecord(value)) variables = value;
    else if (name === 'extensions' && value === null) continue;
    else if (name === 'extensions' && isRecord(value)) {
      if (!('persistedQuery' in value)) continue;
      persisted = persistedQueryHash(value.persistedQuery);
      if (persisted === undefined) return undefined;
    } else return undefined;
  }
  if (persisted !== undefined) return query === undefined ? { query: persistedKey(persisted), operationName, variables } : undefined;
  return query === undefined ? undefined : { query, operationName, variables };
}

function persistedQueryHash(persistedQuery: unknown): string | undefined {
  if (!isRecord(persistedQuery) || persistedQuery.version !== 1) return undefined;
  return typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Apollo's error normalisation (errorNormalize.ts), for execution errors: each error as graphql-js
 * formats it, `extensions.code` defaulting to INTERNAL_SERVER_ERROR, an `extensions.http` taken
 * out into the response's status and headers, then the gateway's formatError; a formatter that
 * throws gives Apollo's masked error.
 */
function formatErrors(
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
