// The example "deliveries" subgraph (schema.graphql next to this file): an in-memory list of
// parcels, each naming a PharmaOne order by its federation key (orgId, id). It never calls
// PharmaOne; the router fetches order fields from the PharmaOne subgraph with that key.
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { parse } from 'graphql';

export const deliveriesSdl = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

export interface DeliveryRecord {
  id: string;
  carrier: string;
  trackingUrl: string | null;
  orgId: string;
  orderId: string;
}

type OrderReference = { orgId: string; id: string };

export function deliveriesResolvers(deliveries: readonly DeliveryRecord[]): GraphQLResolverMap<unknown> {
  const byOrder = new Map(deliveries.map((delivery) => [`${delivery.orgId}\n${delivery.orderId}`, delivery]));
  return {
    Query: {
      recentDeliveries: (_: unknown, args: { orgId: string; first: number }) =>
        deliveries.filter((delivery) => delivery.orgId === args.orgId).slice(0, Math.max(0, Math.min(args.first, 100))),
    },
    Delivery: {
      // A reference: the router resolves the rest of the order in the PharmaOne subgraph.
      order: (delivery: DeliveryRecord): OrderReference => ({ orgId: delivery.orgId, id: delivery.orderId }),
    },
    Order: {
      __resolveReference: (order: OrderReference) => order,
      delivery: (order: OrderReference) => byOrder.get(`${order.orgId}\n${order.id}`) ?? null,
    },
  };
}

export interface RunningSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function startDeliveriesSubgraph(options: {
  port: number;
  deliveries: readonly DeliveryRecord[];
  /** Sees each request's headers (tests check that no PharmaOne credential reaches this subgraph). */
  onRequest?: (headers: IncomingHttpHeaders) => void;
}): Promise<RunningSubgraph> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs: parse(deliveriesSdl), resolvers: deliveriesResolvers(options.deliveries) }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: options.port, host: '127.0.0.1' },
    context: async ({ req }) => {
      options.onRequest?.(req.headers);
      return {};
    },
  });
  return { url, close: () => server.stop() };
}
