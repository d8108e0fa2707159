// Hive Gateway CLI (`npx hive-gateway supergraph supergraph.graphql`, reads this file from the
// working directory): forwards the caller's PharmaOne credential to the PharmaOne subgraph only.
// The demo (../demo.ts) runs the same block through ../hive-gateway.ts.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  propagateHeaders: {
    fromClientToSubgraphs({ request, subgraphName }) {
      if (subgraphName !== 'pharmaone') return;
      // Pass-through mode reads `apikey`; BFF mode reads `Authorization: Bearer <sign-in token>`.
      return { apikey: request.headers.get('apikey'), authorization: request.headers.get('authorization') };
    },
  },
});
