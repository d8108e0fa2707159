// The Apollo Server of the gateway, assembled from src/graphql/'s parts (paths below are relative
// to it) over the schema and the stores: the one error policy (./error-policy.ts), the admission (./admission.ts: parse options, validation
// rules and the ordered rules after them, shared with the fast path and the feed's transports), and
// every plugin in the order an operation meets them — admission first (nothing past it may cost a
// PharmaOne call), then the operation's log facts and traces, then the optional debug trace,
// persisted documents and response cache. Every plugin and rule carries the name
// ./admission-policy.ts's APOLLO_PARTS knows it by. The one log line and metric per request are
// written by the HTTP handler, not here.
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { Logger } from '../logging/logger.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { createDocumentCacheGate, splitDocumentCacheBudget } from '../graphql/document-caches.ts';
import type { DocumentCacheGate, ProvenCaller } from '../graphql/document-caches.ts';
import { createErrorPolicy } from '../graphql/error-policy.ts';
import type { ErrorPolicy } from '../graphql/error-policy.ts';
import { createOperationExecutor, jitGateway } from '../graphql/jit-executor.ts';
import { createPreparedOperations } from '../graphql/prepared-operations.ts';
import type { PreparedOperations } from '../graphql/prepared-operations.ts';
import { admissionPlugin, createAdmission } from '../graphql/admission.ts';
import type { Admission } from '../graphql/admission.ts';
import { gatewayPart } from '../graphql/admission-policy.ts';
import { createBatchAdmission } from '../graphql/batch-admission.ts';
import { cachePolicyPlugin } from '../graphql/plugins/cache-policy.ts';
import { operationLogPlugin } from '../graphql/plugins/operation-log.ts';
import type { OperationLogDeps } from '../graphql/plugins/operation-log.ts';
import { apqOptions, loadSafelist, safelistPlugin } from '../graphql/plugins/persisted-queries.ts';
import type { PersistedQuerySettings, Safelist } from '../graphql/plugins/persisted-queries.ts';
import type { Stores } from './stores.ts';
import { responseCachePlugin } from '../graphql/plugins/response-cache.ts';
import { upstreamTracePlugin } from '../graphql/plugins/upstream-trace.ts';
import type { QueryLimits } from '../graphql/safety/query-limits.ts';
import { createClientQuota } from '../graphql/quota/client-quota.ts';
import type { QuotaSettings } from '../graphql/quota/quota-settings.ts';
import { buildGatewaySchema } from '../schema/schema.ts';

export interface GatewayGraphql {
  apollo: ApolloServer<GatewayContext>;
  /** The fast path for queries Apollo has accepted before (./prepared-operations.ts); undefined when off. */
  prepared: PreparedOperations | undefined;
  /** The admission every transport runs (the feed's too), over `admission.schema`. */
  admission: Admission;
  /** The error policy every transport answers with (./error-policy.ts): Apollo's formatError is its hook. */
  errors: ErrorPolicy;
  /** The answer refusing a batch as a whole (admission.batchRefusal), or undefined when it may run. */
  refuseBatch(pieces: readonly unknown[]): { status: number; body: string } | undefined;
  /** Bytes held by the caches kept per query text (metrics). */
  documentCacheBytes(): Record<string, number>;
}

/** The sections of the gateway's configuration (src/config.ts) that shape the GraphQL server. */
export interface GraphqlSettings {
  queryLimits: QueryLimits;
  /** The client quotas, the admission's last rule (src/graphql/quota/). */
  quotas: QuotaSettings;
  persistedQueries: PersistedQuerySettings;
  /** FEDERATION_SUBGRAPH (src/federation/config.ts): the subgraph schema, with Apollo's own cache-control and inline-trace plugins off. */
  federation: { subgraph: boolean };
  /** GATEWAY_DEBUG_UPSTREAM: `extensions.upstream` on every response. */
  debugUpstream: boolean;
  graphqlJit: boolean;
  graphqlJitHotAfter: number;
  graphqlDocumentCacheBytes: number;
  graphqlPreparedOperations: boolean;
}

export function createApolloServer(
  config: GraphqlSettings,
  deps: { logger: Logger; tracing: Tracing; stores: Stores; proven: ProvenCaller },
): GatewayGraphql {
  const limits = config.queryLimits;
  const schema = buildGatewaySchema({ federationSubgraph: config.federation.subgraph });
  const { safelistPath, enforce } = config.persistedQueries;
  const { stores } = deps;
  const safelist = safelistPath ? loadSafelist(safelistPath, schema) : undefined;
  const quota = createClientQuota(config.quotas, stores.quotaBuckets);
  const admission = createAdmission({ schema, limits, safelist, enforce, quota });
  // Every cache kept per query text, in bytes, filled by proven callers only (./document-caches.ts).
  const budgets = splitDocumentCacheBudget(config.graphqlDocumentCacheBytes);
  const gate = createDocumentCacheGate({ budgets, proven: deps.proven });
  const execute = createOperationExecutor(schema, {
    jit: config.graphqlJit,
    proven: deps.proven,
    budgets,
    hotAfter: config.graphqlJitHotAfter,
  });
  const errors = createErrorPolicy({ suggestions: limits.fieldSuggestions });
  const batchRefusal = createBatchAdmission(admission, limits);
  const log = { logger: deps.logger, tracing: deps.tracing };
  // Subgraph answers and debug traces are shaped per request by Apollo plugins; those stay on Apollo's path.
  const prepared =
    config.graphqlPreparedOperations && !config.federation.subgraph && !config.debugUpstream
      ? createPreparedOperations({
          schema,
          execute,
          admission,
          errors,
          log,
          responseCache: stores.responseCache !== null,
          proven: deps.proven,
          budgets,
        })
      : undefined;

  const apollo = new ApolloServer<GatewayContext>({
    // Apollo's only executor hook is a gateway; ours serves the same schema on compiled plans.
    ...(config.graphqlJit ? { gateway: jitGateway(schema, execute) } : { schema }),
    formatError: errors.formatError,
    // Apollo's own "Unexpected error processing request" lines (a plugin that threw) go to our log.
    logger: deps.logger,
    includeStacktraceInErrorResponses: false,
    // src/main.ts owns SIGTERM/SIGINT (drain first); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    // A batch is first admitted as a whole by the HTTP handler (admission.batchRefusal); each of
    // its operations then runs Apollo's pipeline with the one context (loaders, budget) they share.
    allowBatchedHttpRequests: limits.maxBatchOperations > 0,
    // Checked by src/http/request-rules.ts before Apollo, the same rule graphql-sse's GET meets.
    csrfPrevention: false,
    documentStore: gate.documentStore,
    persistedQueries: apqOptions(gate.apq(stores.apq)),
    // Introspection off is one of admission's validation rules, so the feed refuses it alike.
    introspection: true,
    parseOptions: admission.parseOptions,
    validationRules: admission.validationRules,
    plugins: gatewayPlugins(config, { admission, gate, log, safelist, stores, prepared }),
  });
  return {
    apollo,
    prepared,
    admission,
    errors,
    refuseBatch(pieces) {
      const refused = batchRefusal(pieces);
      if (!refused) return undefined;
      const formatted = errors.format([refused]);
      return { status: formatted.status ?? 400, body: JSON.stringify({ errors: formatted.errors }) };
    },
    documentCacheBytes() {
      const documents = gate.bytes();
      const plans = execute.sizes();
      return {
        documents: documents.documents,
        unproven_documents: documents.unprovenDocuments,
        prepared: prepared?.sizes().bytes ?? 0,
        unproven_prepared: prepared?.sizes().unprovenBytes ?? 0,
        plans: plans.planBytes,
        sightings: plans.sightingBytes,
      };
    },
  };
}

/** Apollo's plugins in the order an operation meets them, each by its APOLLO_PARTS name (./admission-policy.ts). */
function gatewayPlugins(
  config: GraphqlSettings,
  parts: {
    admission: Admission;
    gate: DocumentCacheGate;
    log: OperationLogDeps;
    safelist: Safelist | undefined;
    stores: Stores;
    prepared: PreparedOperations | undefined;
  },
): ApolloServerPlugin<GatewayContext>[] {
  const { admission, gate, log, safelist, stores, prepared } = parts;
  return [
    // First: no plugin after it sees an operation the admission refuses.
    gatewayPart('admission', admissionPlugin<GatewayContext>(admission)),
    gatewayPart('document-cache-gate', gate.plugin as ApolloServerPlugin<GatewayContext>),
    gatewayPart('operation-log', operationLogPlugin(log) as ApolloServerPlugin<GatewayContext>),
    // Apollo's default landing page loads from a CDN; the machines running this may be offline.
    ApolloServerPluginLandingPageDisabled(),
    // A subgraph would otherwise send resolver timings (ftv1) to any caller asking with a header; routers here do not use them.
    ...(config.federation.subgraph ? [ApolloServerPluginInlineTraceDisabled()] : []),
    // The @cacheControl policy once per operation instead of a willResolveField hook per field.
    // A subgraph keeps Apollo's own plugin: `_entities` takes its hints from the representations'
    // types, which only the resolved answer (not the document) tells.
    ...(config.federation.subgraph
      ? []
      : [ApolloServerPluginCacheControlDisabled(), gatewayPart('cache-policy', cachePolicyPlugin<GatewayContext>())]),
    ...(config.debugUpstream ? [gatewayPart('upstream-trace', upstreamTracePlugin())] : []),
    ...(safelist ? [gatewayPart('persisted-documents', safelistPlugin<GatewayContext>(safelist))] : []),
    ...(stores.responseCache
      ? [
          gatewayPart(
            'response-cache',
            responseCachePlugin({ store: stores.responseCache, onStoreError: stores.onStoreError('response_cache') }),
          ),
        ]
      : []),
    // Last: it keeps a query only once every other plugin has let it reach execution.
    ...(prepared ? [gatewayPart('prepared-operations', prepared.plugin as ApolloServerPlugin<GatewayContext>)] : []),
  ];
}
