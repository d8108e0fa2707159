// Composition root: wires the shared pieces (undici pool, token broker, schema, Apollo) once per
// process and serves them over node:http. Everything per request lives in graphql/context.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayConfig } from './config.ts';
import { createContextFactory } from './graphql/context.ts';
import type { GatewayContext } from './graphql/context.ts';
import { formatClientError } from './graphql/errors.ts';
import { upstreamTracePlugin } from './graphql/plugins/upstream-trace.ts';
import { buildGatewaySchema } from './graphql/schema.ts';
import { createGraphqlHandler, sendJson } from './http/graphql-handler.ts';
import { createRouter, getOnly } from './http/router.ts';
import { createUpstreamHttp } from './upstream/http.ts';
import { createTokenExchange } from './upstream/pharmaone-client.ts';
import { createTokenBroker } from './upstream/token-broker.ts';
import { createMemoryIdempotencyStore } from './writes/idempotency-store.ts';
import type { WriteOutcome } from './writes/run-write.ts';

export interface GatewayUpstream {
  /** Manager base URL, e.g. https://manager.pharmaone.dev.secpaid.com */
  baseUrl: string;
  /** Shop proxy URL with `{shopId}`, e.g. https://{shopId}.pharmaone.dev.secpaid.com; unset disables §8 writes. */
  shopUrlTemplate: string | undefined;
}

export interface RunningGateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, upstream: GatewayUpstream): Promise<RunningGateway> {
  const http = createUpstreamHttp(config.upstream);
  const broker = createTokenBroker({
    exchange: createTokenExchange(http),
    refreshMarginMs: config.upstream.tokenRefreshMarginMs,
    maxEntries: config.upstream.tokenCacheSize,
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema: buildGatewaySchema(),
    formatError: formatClientError(),
    includeStacktraceInErrorResponses: false,
    plugins: [
      // Apollo's default landing page loads from a CDN; the machines running this may be offline.
      ApolloServerPluginLandingPageDisabled(),
      ...(config.debugUpstream ? [upstreamTracePlugin()] : []),
    ],
  });
  await apollo.start();

  const graphql = createGraphqlHandler(
    apollo,
    createContextFactory({
      http,
      broker,
      ...upstream,
      detailConcurrency: config.upstream.detailConcurrency,
      idempotency: createMemoryIdempotencyStore<WriteOutcome>({ maxEntries: config.idempotency.maxKeys, ttlMs: config.idempotency.ttlMs }),
    }),
  );
  const server = createServer(
    createRouter({
      '/graphql': graphql,
      '/healthz': getOnly((_, res) => sendJson(res, 200, { status: 'ok' })),
    }),
  );
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await http.close();
    },
  };
}
