// The Apollo Server of the gateway: the schema, the one error map, and every plugin in the order
// an operation meets them — query limits first (nothing past them may cost a PharmaOne call),
// then logs, metrics and traces, then the optional debug trace, safelist and response cache.
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GatewayConfig } from '../config.ts';
import { PREFLIGHT_HEADERS } from '../http/graphql-handler.ts';
import type { Logger } from '../logging/logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { Tracing } from '../observability/tracing.ts';
import type { GatewayContext } from './context.ts';
import { formatClientError } from './errors.ts';
import { jitGateway } from './jit-executor.ts';
import { cachePolicyPlugin } from './plugins/cache-policy.ts';
import { documentSizeLimitPlugin } from './plugins/document-size-limit.ts';
import { operationLogPlugin } from './plugins/operation-log.ts';
import { operationTelemetryPlugin } from './plugins/operation-telemetry.ts';
import { apqOptions, loadSafelist, safelistPlugin } from './plugins/persisted-queries.ts';
import { responseCachePlugin } from './plugins/response-cache.ts';
import { upstreamCallBudgetPlugin } from './plugins/upstream-call-budget.ts';
import { upstreamTracePlugin } from './plugins/upstream-trace.ts';
import { buildGatewaySchema } from './schema.ts';

export function createApolloServer(
  config: GatewayConfig,
  deps: { logger: Logger; metrics: GatewayMetrics; tracing: Tracing },
): ApolloServer<GatewayContext> {
  const limits = config.queryLimits;
  // Depth, aliases and directives are refused during validation, before any call.
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    // graphql-js counts tokens while parsing (parseOptions below), cleaner than a second parse.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
    costLimit: { enabled: false }, // replaced by the upstream-call budget, which knows PharmaOne's costs
  }).protect();
  const schema = buildGatewaySchema();
  const { safelistPath, enforce, apqCacheBytes } = config.persistedQueries;
  const safelist = safelistPath ? loadSafelist(safelistPath, schema) : undefined;

  return new ApolloServer<GatewayContext>({
    // Apollo's only executor hook is a gateway; ours serves the same schema on compiled plans.
    ...(config.graphqlJit ? { gateway: jitGateway(schema) } : { schema }),
    formatError: formatClientError(),
    includeStacktraceInErrorResponses: false,
    // src/main.ts owns SIGTERM/SIGINT (drain first); Apollo's own handlers would race it.
    stopOnTerminationSignals: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: { requestHeaders: PREFLIGHT_HEADERS },
    persistedQueries: apqOptions(apqCacheBytes),
    introspection: limits.introspection,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: armor.validationRules,
    plugins: [
      // Context-free plugins work with any context; TypeScript cannot see that through the generic.
      ...(armor.plugins as ApolloServerPlugin<GatewayContext>[]),
      documentSizeLimitPlugin(limits.maxDocumentBytes),
      upstreamCallBudgetPlugin(limits),
      operationLogPlugin(deps.logger),
      operationTelemetryPlugin({ metrics: deps.metrics, tracing: deps.tracing }),
      // Apollo's default landing page loads from a CDN; the machines running this may be offline.
      ApolloServerPluginLandingPageDisabled(),
      // The @cacheControl policy once per operation instead of a willResolveField hook per field.
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin<GatewayContext>(),
      ...(config.debugUpstream ? [upstreamTracePlugin()] : []),
      ...(safelist ? [safelistPlugin<GatewayContext>(safelist, { enforce })] : []),
      ...(config.responseCacheBytes > 0 ? [responseCachePlugin({ maxBytes: config.responseCacheBytes })] : []),
    ],
  });
}
