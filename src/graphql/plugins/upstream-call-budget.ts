// Protects PharmaOne from one deep query: an operation whose estimated REST fan-out exceeds the
// budget is refused before execution (HTTP 400, no upstream call); the calls an operation does
// make are counted by the PharmaOne client, which stops at the same budget.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { FragmentDefinitionNode, GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { estimateUpstreamCalls, readFieldCosts } from '../safety/upstream-call-estimate.ts';
import type { FieldCosts } from '../safety/upstream-call-estimate.ts';
import type { QueryLimits } from '../safety/query-limits.ts';

export function upstreamCallBudgetPlugin(limits: QueryLimits): ApolloServerPlugin<GatewayContext> {
  // Read once per schema: the declarations do not change while the server runs.
  let costs: { schema: GraphQLSchema; costs: FieldCosts } | undefined;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          if (costs?.schema !== schema) costs = { schema, costs: readFieldCosts(schema) };
          const estimate = estimateUpstreamCalls(schema, costs.costs, operation, fragments, request.variables ?? {}, {
            assumedShopsPerOrg: limits.assumedShopsPerOrg,
          });
          if (estimate > limits.upstreamCallBudget) {
            throw new GraphQLError(
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
          }
        },
      };
    },
  };
}
