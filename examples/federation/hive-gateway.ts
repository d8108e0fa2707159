// Hive Gateway (@graphql-hive/gateway-runtime, MIT) serving a supergraph on node:http, the way
// the `hive-gateway supergraph` CLI would, with the headers PharmaOne's subgraph needs forwarded
// (the CLI's gateway.config.ts takes the same `propagateHeaders` block).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

/**
 * What the PharmaOne subgraph authenticates callers by: the integration key (pass-through mode) or
 * the BFF sign-in token. Forwarded only to the PharmaOne subgraph, never to the others.
 */
export const PHARMAONE_CALLER_HEADERS = ['apikey', 'authorization'] as const;

export interface RunningRouter {
  url: string;
  close(): Promise<void>;
}

export async function startHiveGateway(options: {
  supergraphSdl: string;
  port: number;
  /** The subgraph name the PharmaOne subgraph has in the supergraph. */
  pharmaoneSubgraph?: string;
}): Promise<RunningRouter> {
  const pharmaone = options.pharmaoneSubgraph ?? 'pharmaone';
  const gateway = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs({ request, subgraphName }) {
        if (subgraphName !== pharmaone) return {};
        return Object.fromEntries(PHARMAONE_CALLER_HEADERS.map((name) => [name, request.headers.get(name)]));
      },
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
}
