// Protects PharmaOne from one deep query: an operation whose estimated REST fan-out exceeds the
// budget is refused before execution (HTTP 400, no upstream call); the calls an operation does
// make are counted by the PharmaOne client, which stops at the same budget.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { estimateUpstreamCalls, readFieldCosts } from '../safety/upstream-call-estimate.ts';
import type { FieldCosts } from '../safety/upstream-call-estimate.ts';
import type { QueryLimits } from '../safety/query-limits.ts';

/** The fragments of a document by name, as the estimate reads them. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

export type UpstreamCallBudget = ReturnType<typeof createUpstreamCallBudget>;

/** The budget rule, shared by the Apollo plugin below and the prepared-operation path (src/graphql/prepared-operations.ts). */
export function createUpstreamCallBudget(limits: QueryLimits) {
  // Read once per schema: the declarations do not change while the server runs.
  let costs: { schema: GraphQLSchema; costs: FieldCosts } | undefined;
  return {
    /** The operation's estimated PharmaOne calls with these variables (raw, as the caller sent them). */
    estimate(
      schema: GraphQLSchema,
      operation: OperationDefinitionNode,
      fragments: Record<string, FragmentDefinitionNode>,
      variables: Record<string, unknown>,
    ): number {
      if (costs?.schema !== schema) costs = { schema, costs: readFieldCosts(schema) };
      return estimateUpstreamCalls(schema, costs.costs, operation, fragments, variables, { assumedShopsPerOrg: limits.assumedShopsPerOrg });
    },
    /** The error that refuses an estimate over the budget; undefined when it fits. */
    refusal(estimate: number): GraphQLError | undefined {
      if (estimate <= limits.upstreamCallBudget) return undefined;
      return new GraphQLError(
        `This operation could make up to ${estimate} PharmaOne calls; the limit is ${limits.upstreamCallBudget}. ` +
          'Ask for smaller pages (first), fewer nested lists, or fewer detail fields per order.',
        {
          extensions: {
            code: 'QUERY_TOO_EXPENSIVE',
            estimatedUpstreamCalls: estimate,
            upstreamCallBudget: limits.upstreamCallBudget,
            http: { status: 400 },
          },
        },
      );
    },
  };
}

export function upstreamCallBudgetPlugin(budget: UpstreamCallBudget): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const refusal = budget.refusal(budget.estimate(schema, operation, fragmentsOf(document), request.variables ?? {}));
          if (refusal) throw refusal;
        },
      };
    },
  };
}
