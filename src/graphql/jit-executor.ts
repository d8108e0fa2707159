// Compiled execution (graphql-jit) plugged into Apollo Server 5 through its one executor hook, the
// `gateway` option: a "gateway" that serves our own schema and hands Apollo an executor. Apollo
// still parses, validates, runs every plugin and formats errors; only `execute` changes. graphql-js
// walks the document and looks up every field on every request; graphql-jit compiles each
// operation once into a function specialised to the selection (on a 2,000-field answer the walk
// was the largest part of the gateway's own CPU).
//
// Decided per operation, with graphql-js as the fallback, so semantics stay graphql-js's where
// jit's are not proven here:
// - variables are coerced by graphql-js first; an invalid variable gets graphql-js's own error
//   (Apollo recognises it as BAD_USER_INPUT and answers 400 by its message), jit never sees it;
//   an omitted variable with a default is sent to jit as that default (jit 0.8 would refuse it);
// - errors are rebuilt as graphql-js's (message, path, locations, original error, extensions);
// - introspection (`__schema`, `__type`), fields of an interface or union type (the federation
//   subgraph's `_entities`), subscriptions and @defer/@stream run on graphql-js, and so does a
//   request whose federation router asks for field traces (`apollo-federation-include-trace`);
//   graphql-js 16 serves @defer/@stream inline (one complete result); for a transport that can
//   send parts they run on @graphql-tools/executor instead (./incremental.ts);
// - an operation jit cannot compile runs on graphql-js.
//
// Only hot documents are compiled: compiling costs more than one run, and a plan holds kilobytes
// per field (src/graphql/document-sizes.ts), which a stream of distinct texts would otherwise turn
// into memory. A document is compiled on its GRAPHQL_JIT_HOT_AFTER-th run (3 by default) within
// HOT_WINDOW_MS, counting only runs by callers whose credential is proven
// (src/graphql/document-caches.ts); every run before, and every run of a cold document, is
// graphql-js's. Plans are kept by query hash and operation name in an LRU bounded in bytes (each
// counted with the document it keeps alive); a plan pushed out is compiled again only once its
// document is hot again, so a budget too small for the hot set costs a compilation per
// GRAPHQL_JIT_HOT_AFTER runs, not one per run.
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import type { CompiledQuery } from 'graphql-jit';
import {
  BREAK,
  GraphQLError,
  TypeInfo,
  execute,
  getNamedType,
  getVariableValues,
  isAbstractType,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { DEFAULT_DOCUMENT_CACHE_BYTES, splitDocumentCacheBudget } from './document-caches.ts';
import type { ProvenCaller } from './document-caches.ts';
import { planBytes, textBytes } from './document-sizes.ts';
import { executeIncrementally, incrementalChannelOf, namesIncrementalDirective } from './incremental.ts';

const FEDERATION_TRACE_HEADER = 'apollo-federation-include-trace';

/** Runs of a document that make it hot, by default (GRAPHQL_JIT_HOT_AFTER). */
export const HOT_AFTER = 3;
/** The runs that make a document hot must fall within this long of the first. */
export const HOT_WINDOW_MS = 60_000;
/** A plan may take at most this part of the plans' budget, so one document cannot push out all others. */
const MAX_PLAN_SHARE = 8;
/** Fields beyond which a plan is never estimated further (no budget fits it). */
const MAX_PLAN_FIELDS = 20_000;
/**
 * A cache slot beside its key: lru-cache's entry and a small value object (151 bytes measured for
 * a run count; a verdict that an operation runs on graphql-js is smaller), rounded up.
 */
const SLOT_BYTES = 192;

type Plan = { kind: 'jit'; query: CompiledQuery } | { kind: 'graphql-js' };

/** Whether graphql-jit may run this operation (see the file header for why each case is excluded). */
export function jitEligible(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation === 'subscription') return false;
  let eligible = true;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const type = typeInfo.getType();
        if (node.name.value === '__schema' || node.name.value === '__type' || (type && isAbstractType(getNamedType(type)))) {
          eligible = false;
          return BREAK;
        }
        return undefined;
      },
      Directive(node) {
        if (node.name.value === 'defer' || node.name.value === 'stream') {
          eligible = false;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return eligible;
}

/** One operation to run: what Apollo's executor hook and the prepared-operation path both hand over. */
export interface OperationRun {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  variables: Record<string, unknown>;
  context: unknown;
  /** A federation router asked for field traces (ftv1): only graphql-js is known to honour Apollo's inline-trace wrapping. */
  fieldTraces?: boolean;
  /** The query text's hash (Apollo's queryHash): what plans are kept by. Without it nothing is compiled. */
  documentKey?: string | undefined;
  /** planKey(documentKey, operationName), when the caller keeps it (a prepared operation): not built again per run. */
  planKey?: string | undefined;
}

/** What a plan is kept by: the document's hash and the operation's name. */
export function planKey(documentKey: string, operationName: string | null): string {
  return `${documentKey}\n${operationName ?? ''}`;
}

export type OperationExecutor = (run: OperationRun) => Promise<ExecutionResult>;

export interface ExecutorOptions {
  jit: boolean;
  /** Whose runs count towards making a document hot; by default no one's (nothing is compiled). */
  proven?: ProvenCaller;
  /** Bytes for compiled plans and for the run counts of documents not compiled yet (their shares of the default total by default). */
  budgets?: { plans: number; sightings: number };
  /** Runs within HOT_WINDOW_MS that make a document hot (HOT_AFTER by default). */
  hotAfter?: number;
  now?: () => number;
}

/** The executor and what its caches hold (metrics, tests). */
export type ExecutorWithPlans = OperationExecutor & {
  sizes(): { planBytes: number; plans: number; compiled: number; sightingBytes: number };
};

/**
 * Runs operations on compiled plans (`jit: true`, hot documents) or on graphql-js. The one executor
 * of the gateway: Apollo reaches it through jitGateway, and src/graphql/prepared-operations.ts
 * calls it directly, so both paths execute (and report errors) alike.
 */
export function createOperationExecutor(schema: GraphQLSchema, options: ExecutorOptions): ExecutorWithPlans {
  const proven = options.proven ?? (() => false);
  const hotAfter = Math.max(1, options.hotAfter ?? HOT_AFTER);
  const now = options.now ?? Date.now;
  const budgets = options.budgets ?? splitDocumentCacheBudget(DEFAULT_DOCUMENT_CACHE_BYTES);
  const plans = new LRUCache<string, Plan>({
    maxSize: Math.max(1, budgets.plans),
    maxEntrySize: Math.max(1, Math.floor(budgets.plans / MAX_PLAN_SHARE)),
  });
  // Runs so far of each document not compiled, and when the first of them was.
  const sightings = new LRUCache<string, { runs: number; sinceMs: number }>({
    maxSize: Math.max(1, budgets.sightings),
    sizeCalculation: (_, key) => textBytes(key) + SLOT_BYTES,
  });
  let compiled = 0;

  /** The plan of a hot document (compiled now on its hotAfter-th run), or undefined: graphql-js runs it. */
  function planFor(run: OperationRun, key: string): CompiledQuery | undefined {
    const kept = plans.get(key);
    if (kept) return kept.kind === 'jit' ? kept.query : undefined;
    if (!proven(run.context) || runsOf(key) + 1 < hotAfter) return undefined;
    sightings.delete(key);
    const { document, operation, operationName } = run;
    const bytes = jitEligible(schema, document, operation) ? planBytes(document, operation, MAX_PLAN_FIELDS) : Number.POSITIVE_INFINITY;
    if (bytes > plans.maxEntrySize) {
      plans.set(key, { kind: 'graphql-js' }, { size: SLOT_BYTES + textBytes(key) });
      return undefined;
    }
    const query = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
    if (!isCompiledQuery(query)) {
      plans.set(key, { kind: 'graphql-js' }, { size: SLOT_BYTES + textBytes(key) });
      return undefined;
    }
    compiled++;
    plans.set(key, { kind: 'jit', query }, { size: bytes });
    return query;
  }

  /** The runs counted within the window that is still open, if one is. */
  function windowOf(key: string): { runs: number; sinceMs: number } | undefined {
    const seen = sightings.get(key);
    return seen && now() - seen.sinceMs < HOT_WINDOW_MS ? seen : undefined;
  }

  function runsOf(key: string): number {
    return windowOf(key)?.runs ?? 0;
  }

  /** A run by a proven caller (one its own token exchange may have just proven) counts towards making the document hot. */
  function sighted(run: OperationRun, key: string): void {
    if (plans.has(key) || !proven(run.context)) return;
    const open = windowOf(key);
    sightings.set(key, open ? { runs: open.runs + 1, sinceMs: open.sinceMs } : { runs: 1, sinceMs: now() });
  }

  const executor: OperationExecutor = async (run) => {
    const { document, operation, operationName, variables, context, fieldTraces } = run;
    // A transport that can send parts, and a document that asks for them (./incremental.ts).
    const channel = incrementalChannelOf(context);
    if (channel && namesIncrementalDirective(document)) return executeIncrementally(schema, run, channel);
    const key = options.jit && run.documentKey !== undefined ? (run.planKey ?? planKey(run.documentKey, operationName)) : undefined;
    const plan = key === undefined ? undefined : planFor(run, key);
    if (!plan || fieldTraces) {
      const result = await execute({ schema, document, operationName, variableValues: variables, contextValue: context });
      if (key !== undefined && !plan) sighted(run, key);
      return result;
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    return withGraphqlJsErrors(await plan.query(undefined, context, withDefaults(operation, variables)));
  };
  return Object.assign(executor, {
    sizes: () => ({ planBytes: plans.calculatedSize, plans: plans.size, compiled, sightingBytes: sightings.calculatedSize }),
  });
}

/** Apollo's executor hook over createOperationExecutor. */
export function createJitExecutor(execute: OperationExecutor): GatewayExecutor {
  return ({ document, operation, operationName, request, context, queryHash }) =>
    execute({
      document,
      operation,
      operationName,
      variables: request.variables ?? {},
      context,
      fieldTraces: request.http?.headers.get(FEDERATION_TRACE_HEADER) === 'ftv1',
      documentKey: queryHash,
    });
}

/**
 * graphql-jit 0.8 refuses a missing non-null variable even when it has a default; graphql-js uses
 * the default. An omitted variable gets its default literal as the JSON a client would have sent.
 */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  let filled: Record<string, unknown> | undefined;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue && !(name in variables)) {
      filled ??= { ...variables };
      filled[name] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  return filled ?? variables;
}

/**
 * graphql-jit's errors are its own objects (read-only properties, `extensions` undefined when the
 * thrown error had none) that Apollo's error pipeline cannot enrich. Rebuilt as graphql-js would
 * have built them (locatedError): same message, path, locations, original error and extensions,
 * so error masking and the error map see exactly what they see under graphql-js.
 */
function withGraphqlJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) => {
    const original = error.originalError;
    // A GraphQLError thrown with its own path is kept as is, like graphql-js's locatedError does.
    if (original instanceof GraphQLError && original.path !== undefined) return original;
    const rebuilt = new GraphQLError(error.message, {
      path: error.path,
      ...(original ? { originalError: original } : {}),
      ...(error.extensions ? { extensions: error.extensions } : {}),
    });
    (rebuilt as { locations: GraphQLError['locations'] }).locations = error.locations;
    return rebuilt;
  });
  return { ...result, errors };
}

/** The `gateway` option of ApolloServer: our own schema, executed by createJitExecutor. */
export function jitGateway(schema: GraphQLSchema, execute: OperationExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor: createJitExecutor(execute) };
    },
    async stop() {},
  };
}
