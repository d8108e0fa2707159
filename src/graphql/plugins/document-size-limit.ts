// Refuses GraphQL documents longer than the configured size. It runs once the operation is
// resolved (Apollo answers errors thrown earlier as 500s); parsing before it is bounded by the
// HTTP body limit and the token limit (parseOptions.maxTokens), so the check still comes before
// validation work that grows with the document, and before any upstream call.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

export function documentSizeLimitPlugin<TContext extends BaseContext>(maxBytes: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source }) {
          const size = Buffer.byteLength(source, 'utf8');
          if (size > maxBytes) {
            throw new GraphQLError(`The GraphQL document is ${size} bytes; the limit is ${maxBytes}.`, {
              extensions: { code: 'BAD_REQUEST', http: { status: 413 } },
            });
          }
        },
      };
    },
  };
}
