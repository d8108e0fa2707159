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
// - an operation jit cannot compile runs on graphql-js.
// Compiled plans are kept per parsed document (a WeakMap): Apollo's document store and the
// prepared operations (src/graphql/prepared-operations.ts) keep one parsed document per query
// text, both bounded, so the plans are bounded by them and die with them.
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

const FEDERATION_TRACE_HEADER = 'apollo-federation-include-trace';

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
}

export type OperationExecutor = (run: OperationRun) => Promise<ExecutionResult>;

/**
 * Runs operations on compiled plans (`jit: true`) or on graphql-js alone. The one executor of
 * the gateway: Apollo reaches it through jitGateway, and src/graphql/prepared-operations.ts
 * calls it directly, so both paths execute (and report errors) alike.
 */
export function createOperationExecutor(schema: GraphQLSchema, options: { jit: boolean }): OperationExecutor {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();

  function planFor(document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): Plan {
    let byName = plans.get(document);
    if (!byName) {
      byName = new Map();
      plans.set(document, byName);
    }
    const key = operationName ?? '';
    let plan = byName.get(key);
    if (!plan) {
      plan = { kind: 'graphql-js' };
      if (options.jit && jitEligible(schema, document, operation)) {
        const compiled = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
        if (isCompiledQuery(compiled)) plan = { kind: 'jit', query: compiled };
      }
      byName.set(key, plan);
    }
    return plan;
  }

  return async ({ document, operation, operationName, variables, context, fieldTraces }) => {
    const plan = planFor(document, operation, operationName);
    if (plan.kind === 'graphql-js' || fieldTraces) {
      return execute({ schema, document, operationName, variableValues: variables, contextValue: context });
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    return withGraphqlJsErrors(await plan.query.query(undefined, context, withDefaults(operation, variables)));
  };
}

/** Apollo's executor hook over createOperationExecutor. */
export function createJitExecutor(execute: OperationExecutor): GatewayExecutor {
  return ({ document, operation, operationName, request, context }) =>
    execute({
      document,
      operation,
      operationName,
      variables: request.variables ?? {},
      context,
      fieldTraces: request.http?.headers.get(FEDERATION_TRACE_HEADER) === 'ftv1',
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
