// The upstream-call budget rule, the last of the admission's list (../admission.ts), so the same
// for every transport (POST and GET /graphql, the prepared path, the feed's WebSocket and SSE,
// `_entities`): an operation whose estimated PharmaOne fan-out exceeds UPSTREAM_CALL_BUDGET is
// refused before execution, with one error. A subscription's selection runs once per event, so
// its estimate is per event.
import { GraphQLError, Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { QueryLimits } from './query-limits.ts';
import { estimateUpstreamCalls, readFieldCosts } from './upstream-call-estimate.ts';
import type { FieldCosts } from './upstream-call-estimate.ts';

/** The fragments of a document by name, as the estimate reads them. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}

export type UpstreamCallBudget = ReturnType<typeof createUpstreamCallBudget>;

export function createUpstreamCallBudget(limits: QueryLimits) {
  // Read once per schema: the declarations do not change while the server runs.
  let costs: { schema: GraphQLSchema; costs: FieldCosts } | undefined;

  function estimate(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Record<string, FragmentDefinitionNode>,
    variables: Record<string, unknown>,
  ): number {
    if (costs?.schema !== schema) costs = { schema, costs: readFieldCosts(schema) };
    return estimateUpstreamCalls(schema, costs.costs, operation, fragments, variables, { assumedShopsPerOrg: limits.assumedShopsPerOrg });
  }

  function refusal(estimated: number): GraphQLError | undefined {
    if (estimated <= limits.upstreamCallBudget) return undefined;
    return new GraphQLError(
      `This operation could make up to ${estimated} PharmaOne calls; the limit is ${limits.upstreamCallBudget}. ` +
        'Ask for smaller pages (first), fewer nested lists, or fewer detail fields per order.',
      {
        extensions: {
          code: 'QUERY_TOO_EXPENSIVE',
          estimatedUpstreamCalls: estimated,
          upstreamCallBudget: limits.upstreamCallBudget,
          http: { status: 400 },
        },
      },
    );
  }

  return {
    /** The operation's estimated PharmaOne calls with these variables (raw, as the caller sent them). */
    estimate,
    /** The error that refuses an estimate over the budget; undefined when it fits. */
    refusal,
  };
}
