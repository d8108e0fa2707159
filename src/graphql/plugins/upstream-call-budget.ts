// Protects PharmaOne from one deep query: the budget rule (../safety/upstream-call-budget.ts) on
// Apollo's path, refusing an operation over it before execution (HTTP 400, no upstream call); the
// calls an operation does make are counted by the PharmaOne client, which stops at the same budget.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';
import type { UpstreamCallBudget } from '../safety/upstream-call-budget.ts';

export function upstreamCallBudgetPlugin(budget: UpstreamCallBudget): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const refusal = budget.refusalFor(schema, document, operation, request.variables ?? {});
          if (refusal) throw refusal;
        },
      };
    },
  };
}
