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
// path uses: the context factory, the one admission (./admission.ts) on this request's variables and,
// last, its client quota on this request's caller (a refusal is answered here, as Apollo would), the
// executor (jit-executor.ts), the error formatter, the log and trace notes, the cache-control rule,
// the same bytes and headers (test/graph/prepared-operations.test.ts compares both paths).
//
// A persisted query sent by hash alone (APQ) whose hash Apollo has resolved once runs here too,
// kept by its hash (for as long as it is kept here, even if the APQ store has let the text go: a
// hash names one text for good); registering one (text and hash together) is Apollo's work.
//
// Anything else goes to Apollo unchanged, decided before any resolver runs: mutations and
// subscriptions, GET, persisted-query registrations and unknown hashes, unknown body fields, a cacheable query while the
// response cache is on (the cache lives in Apollo's plugin), a request the admission refuses
// (variables that do not coerce, an estimate over the budget, a rule on their values), a context
// that cannot be built (401). Apollo then answers exactly as it always did. Off in subgraph mode
// and with GATEWAY_DEBUG_UPSTREAM, whose plugins shape each answer, and with
// GRAPHQL_PREPARED_OPERATIONS=false.
//
// Memory: at most MAX_PREPARED (text, operationName) pairs and the prepared share of
// GRAPHQL_DOCUMENT_CACHE_MB (src/graphql/document-caches.ts), each entry counted at what its
// parsed document costs in heap (document-sizes.ts); least recently used first out. A request
// whose caller is not proven by its end teaches a small share of its own, which only other such
// requests push out; a proven caller served from it moves the entry to the proven share.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { DEFAULT_DOCUMENT_CACHE_BYTES, splitDocumentCacheBudget } from './document-caches.ts';
import type { ProvenCaller } from './document-caches.ts';
import { ENTRY_BYTES, documentBytes, textBytes } from './document-sizes.ts';
import { planKey } from './jit-executor.ts';
import type { OperationExecutor } from './jit-executor.ts';
import type { ErrorPolicy } from './error-policy.ts';
import type { Admission } from './admission.ts';
import type { QuotaTab } from './quota/client-quota.ts';
import { UNCACHEABLE, cacheControlValue, isCacheable, operationCachePolicy } from './plugins/cache-policy.ts';
import { logUnexpectedErrors, noteResolvedOperation } from './plugins/operation-log.ts';
import type { OperationLogDeps } from './plugins/operation-log.ts';
import { persistedKey, persistedQueryHash, plainRequest, preparedKey } from './prepared-requests.ts';
import type { PlainRequest } from './prepared-requests.ts';

/** Distinct (query text, operationName) pairs kept; a client fleet sends a few dozen. */
export const MAX_PREPARED = 512;

interface PreparedOperation {
  document: DocumentNode;
  /** The text's hash as Apollo computed it: what the executor keeps compiled plans by. */
  documentKey: string;
  /** The executor's key for this operation's plan (documentKey and name), built once. */
  planKey: string;
  /** Heap this entry holds (its document and key included). */
  bytes: number;
  operation: OperationDefinitionNode;
  /** The operation's own name, or null when anonymous (what Apollo reports and executes by). */
  name: string | null;
  /** The text Apollo admitted: what the admission's document rules read (its hash is documentKey). */
  source: string;
  /** `cache-control` of an answer without errors. */
  cacheControl: string;
  /**
   * No variables declared: nothing in a request can change the admission's answer, which Apollo
   * gave (admitted) when it kept this entry.
   */
  admitted: boolean;
  /** An admitted entry's estimated PharmaOne calls, worked out on its first run here (what the client quota reserves). */
  estimate?: number;
}

export interface PreparedAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export interface PreparedOperations {
  /** Apollo plugin: keeps each query that reached execution. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** The answer, or undefined when Apollo must serve this request (nothing has run then). */
  serve(body: unknown, buildContext: () => Promise<unknown>): Promise<PreparedAnswer | undefined>;
  /** Requests served here and handed to Apollo, since start (metrics, tests). */
  stats(): { served: number; handedToApollo: number };
  /** Entries kept now and the heap they hold, proven callers' and others' (metrics, tests). */
  sizes(): { entries: number; bytes: number; unprovenBytes: number };
}

export interface PreparedOperationsDeps {
  schema: GraphQLSchema;
  execute: OperationExecutor;
  /** The admission Apollo runs (./admission.ts): run again here on each request's variables. */
  admission: Admission;
  /** The error policy Apollo formats with (./error-policy.ts). */
  errors: ErrorPolicy;
  log: OperationLogDeps;
  /** With a response cache, cacheable queries stay on Apollo's path, where the cache is. */
  responseCache: boolean;
  /** Whose requests may teach this path a query (src/graphql/document-caches.ts). */
  proven: ProvenCaller;
  maxEntries?: number;
  /** Heap the entries of proven and of other callers may hold; their shares of the default total by default. */
  budgets?: { prepared: number; unprovenPrepared: number };
}

export function createPreparedOperations(deps: PreparedOperationsDeps): PreparedOperations {
  const { execute, admission } = deps;
  const budgets = deps.budgets ?? splitDocumentCacheBudget(DEFAULT_DOCUMENT_CACHE_BYTES);
  const share = (maxSize: number) =>
    new LRUCache<string, PreparedOperation>({
      max: deps.maxEntries ?? MAX_PREPARED,
      maxSize: Math.max(1, maxSize),
      sizeCalculation: (entry) => entry.bytes,
    });
  const prepared = share(budgets.prepared);
  const unproven = share(budgets.unprovenPrepared);
  let served = 0;
  let handedToApollo = 0;

  function lookup(request: PlainRequest): { key: string; entry: PreparedOperation | undefined; proven: boolean } {
    const key = preparedKey(request.query, request.operationName);
    const entry = prepared.get(key);
    return entry ? { key, entry, proven: true } : { key, entry: unproven.get(key), proven: false };
  }

  /** Kept by the text (or persisted hash) and the operationName sent, with what the key itself holds. */
  function remember(query: string, operationName: string | undefined, entry: Omit<PreparedOperation, 'bytes'>, proven: boolean): void {
    const key = preparedKey(query, operationName);
    (proven ? prepared : unproven).set(key, {
      ...entry,
      bytes: documentBytes(entry.document) + textBytes(key) + textBytes(entry.planKey) + ENTRY_BYTES,
    });
  }

  const plugin = teachingPlugin(deps, remember);

  async function serve(body: unknown, buildContext: () => Promise<unknown>): Promise<PreparedAnswer | undefined> {
    const request = plainRequest(body);
    const found = request && lookup(request);
    const entry = found?.entry;
    const estimate = request && entry && admittedEstimate(admission, entry, request);
    if (!request || !found || !entry || estimate === undefined) {
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
    if (!found.proven && deps.proven(context)) {
      unproven.delete(found.key);
      prepared.set(found.key, entry);
    }
    noteResolvedOperation(deps.log, entry.operation.operation, entry.name);
    // The admission's last rule, the client quota, on this request's tab (the answer is its refusal).
    const tab = (context as { quota?: QuotaTab | undefined }).quota;
    if (tab && tab.buckets.length > 0 && admission.quota) {
      const refused = await admission.quota.admit(tab, estimate);
      if (refused) return answer(deps, entry, { errors: [refused] });
    }
    served++;
    const result = await execute({
      document: entry.document,
      operation: entry.operation,
      operationName: entry.name,
      variables: request.variables,
      context,
      documentKey: entry.documentKey,
      planKey: entry.planKey,
    });
    return answer(deps, entry, result);
  }

  const sizes = () => ({ entries: prepared.size + unproven.size, bytes: prepared.calculatedSize, unprovenBytes: unproven.calculatedSize });
  return { plugin, serve, stats: () => ({ served, handedToApollo }), sizes };
}

/** Apollo plugin: keeps each query that reached execution, in the proven or the other share. */
function teachingPlugin(
  deps: Pick<PreparedOperationsDeps, 'schema' | 'responseCache' | 'proven'>,
  remember: (query: string, operationName: string | undefined, entry: Omit<PreparedOperation, 'bytes'>, proven: boolean) => void,
): ApolloServerPlugin<BaseContext> {
  const { schema } = deps;
  return {
    async requestDidStart() {
      let taught: ((proven: boolean) => void) | undefined;
      return {
        // Reached only when parsing, validation, the operation choice and every didResolveOperation
        // rule passed, and the response cache had no answer.
        async executionDidStart({ source, queryHash, document, operation, request, schema: served, contextValue }) {
          if (operation.operation !== 'query' || served !== schema || source === undefined) return;
          taught = (proven) => {
            const policy = operationCachePolicy(schema, document, operation);
            if (deps.responseCache && isCacheable(policy)) return;
            const entry = {
              document,
              documentKey: queryHash,
              planKey: planKey(queryHash, operation.name?.value ?? null),
              operation,
              name: operation.name?.value ?? null,
              source,
              cacheControl: cacheControlValue(policy),
              admitted: !operation.variableDefinitions?.length,
            };
            const operationName = request.operationName ?? undefined;
            remember(source, operationName, entry, proven);
            // Sent by persisted-query hash (Apollo found the text by it, or checked it against the text): kept by the hash too.
            const hash = persistedQueryHash(request.extensions?.persistedQuery);
            if (hash !== undefined && hash === queryHash) remember(persistedKey(hash), operationName, entry, proven);
          };
          if (deps.proven(contextValue)) {
            taught(true);
            taught = undefined;
          }
        },
        // Otherwise once the request is over: a caller whose key this very request proved (its first token exchange) counts as proven.
        async willSendResponse({ contextValue }) {
          taught?.(deps.proven(contextValue));
        },
      };
    },
  };
}

/**
 * What Apollo would refuse before execution is left to Apollo: whatever the admission refuses for
 * this request (undefined). Admitted: the operation's estimate, for the client quota.
 */
function admittedEstimate(admission: Admission, entry: PreparedOperation, request: PlainRequest): number | undefined {
  if (entry.admitted && entry.estimate !== undefined) return entry.estimate;
  const { document, operation, source, documentKey } = entry;
  const verdict = admission.check({
    document,
    operation,
    source,
    queryHash: documentKey,
    operationName: request.operationName,
    variables: entry.admitted ? {} : request.variables,
  });
  if (verdict.refused) return undefined;
  if (entry.admitted) entry.estimate = verdict.estimate;
  return verdict.estimate;
}

/** Apollo's response for an execution result: formatted errors first, then data, then extensions; status 200 unless an error names one. */
function answer(deps: Pick<PreparedOperationsDeps, 'errors' | 'log'>, entry: PreparedOperation, result: ExecutionResult): PreparedAnswer {
  const headers: Array<[string, string]> = [];
  let status = 200;
  let errors: GraphQLFormattedError[] | undefined;
  if (result.errors?.length) {
    logUnexpectedErrors(deps.log, result.errors);
    const formatted = deps.errors.format(result.errors);
    errors = formatted.errors;
    status = formatted.status ?? status;
    deps.log.tracing.operationFailed(result.errors.length, result.data !== null && result.data !== undefined);
  }
  headers.push(['cache-control', errors ? UNCACHEABLE : entry.cacheControl]);
  const body = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
  return { status, headers, body };
}
