// The live feed's (src/feed/) two transports, both running the gateway schema's subscriptions: GraphQL over
// WebSocket (graphql-ws.ts, on the /graphql upgrade) and GraphQL over Server-Sent Events
// (graphql-sse.ts, distinct connections, POST /graphql/stream). Both authenticate like queries,
// admit (POST's admission), run and format each subscription the one way (subscription-operation.ts), and finish
// every stream cleanly on shutdown.
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Authenticator } from '../../auth/caller.ts';
import type { Admission } from '../../graphql/admission.ts';
import type { ErrorPolicy } from '../../graphql/error-policy.ts';
import type { Logger } from '../../logging/logger.ts';
import type { OperationReporter } from '../../observability/operation-report.ts';
import type { PharmaOneClientDeps } from '../../upstream/pharmaone-client.ts';
import type { IdempotencyCoordinator } from '../../writes/keyed-write.ts';
import type { OrderFeed } from '../../feed/order-feed.ts';
import type { FeedSettings } from '../../feed/settings.ts';
import { createGraphqlSseTransport } from './graphql-sse.ts';
import { createGraphqlWsTransport } from './graphql-ws.ts';
import { createSubscriptionOperations } from './subscription-operation.ts';

export interface FeedTransportDeps {
  schema: GraphQLSchema;
  /** The admission POST /graphql runs (src/graphql/admission.ts), over the same schema. */
  admission: Admission;
  authenticate: Authenticator;
  feed: OrderFeed;
  settings: FeedSettings;
  client: PharmaOneClientDeps;
  idempotency: IdempotencyCoordinator;
  detailConcurrency: number;
  /** The error policy POST /graphql answers with (src/graphql/error-policy.ts). */
  errors: ErrorPolicy;
  /** GRAPHQL_INCREMENTAL_MAX_PARTS, the same cap on an event's parts as on an HTTP answer's. */
  maxIncrementalParts: number;
  /** The one log line and metric per operation, as POST /graphql writes them. */
  report: OperationReporter;
  logger: Logger;
  /** The path that WebSocket upgrades are served on. */
  wsPath: string;
  /** Whether an upgrade's Origin may open a WebSocket (src/http/cors.ts): no Origin, the gateway's own, or a listed one. */
  originAllowed: (req: IncomingMessage) => boolean;
}

export function createFeedTransports(deps: FeedTransportDeps) {
  const operations = createSubscriptionOperations(deps);
  const ws = createGraphqlWsTransport({ ...deps, heartbeatMs: deps.settings.heartbeatMs }, operations);
  const sse = createGraphqlSseTransport(deps, operations);

  return {
    handleUpgrade: ws.handleUpgrade,
    handleSse: sse.handleSse,

    /** Shutdown: subscriptions complete (a `complete` message, the end of the SSE stream), then sockets close. */
    async close(): Promise<void> {
      ws.refuseUpgrades();
      await deps.feed.close();
      // graphql-ws and graphql-sse send `complete` when they next read the finished streams.
      for (let i = 0; i < 100 && deps.feed.stats().subscribers > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setImmediate(resolve));
      await ws.close();
    },
  };
}
