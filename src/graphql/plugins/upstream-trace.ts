// Debug option (GATEWAY_DEBUG_UPSTREAM=true): adds `extensions.upstream` to each response, the
// REST calls the operation cost, so frontend teams can see what their query makes PharmaOne do.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

export function upstreamTracePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const calls = contextValue.upstreamTrace;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            upstream: { httpCalls: calls.filter((call) => !call.cached).length, calls },
          };
        },
      };
    },
  };
}
