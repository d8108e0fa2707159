// Apollo runs only what the admission policy knows: every plugin and extra validation rule of the
// started ApolloServer that src/server/apollo-server.ts builds, under each configuration that adds
// one, carries a name in APOLLO_PARTS (src/graphql/admission-policy.ts). A plugin or rule added
// without a name there, or one of Apollo's own that a setting switches on (its NoIntrospection, its
// CSRF check), fails here; so does a part naming a rule the policy does not have.
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ADMISSION_POLICY, APOLLO_PARTS, GATEWAY_PART, gatewayPart } from '../../src/graphql/admission-policy.ts';
import { createApolloServer } from '../../src/server/apollo-server.ts';
import type { GatewayGraphql } from '../../src/server/apollo-server.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createTracing } from '../../src/observability/tracing.ts';
import { createStores } from '../../src/server/stores.ts';
import type { Stores } from '../../src/server/stores.ts';
import { storeSettingsOf } from '../../src/gateway.ts';

const SAFELIST = new URL('../fixtures/admission-safelist.json', import.meta.url).pathname;

/** What a started ApolloServer keeps of its configuration (its `internals`, not public API). */
interface ApolloInternals {
  plugins: object[];
  validationRules: Array<(...args: never[]) => unknown>;
  csrfPreventionRequestHeaders: string[] | null;
  dangerouslyDisableValidation: boolean;
  parseOptions: { maxTokens?: number };
}

/** The APOLLO_PARTS name of a plugin or validation rule: ours by GATEWAY_PART, Apollo's by its plugin id. */
function partName(part: object): string {
  const named = part as { [GATEWAY_PART]?: unknown; __internal_plugin_id__?: unknown; __is_disabled_plugin__?: unknown; name?: unknown };
  if (typeof named[GATEWAY_PART] === 'string') return named[GATEWAY_PART];
  if (typeof named.__internal_plugin_id__ === 'string') {
    return `apollo:${named.__internal_plugin_id__}${named.__is_disabled_plugin__ ? ':disabled' : ''}`;
  }
  return typeof named.name === 'string' && named.name !== '' ? `unnamed:${named.name}` : 'unnamed';
}

function unlisted(parts: object[]): string[] {
  return parts.map(partName).filter((name) => !(name in APOLLO_PARTS));
}

const CONFIGURATIONS: Array<[string, Record<string, string>]> = [
  ['the defaults', {}],
  ['production (introspection and suggestions off)', { GRAPHQL_INTROSPECTION: 'false', GRAPHQL_FIELD_SUGGESTIONS: 'false' }],
  ['subgraph mode', { FEDERATION_SUBGRAPH: 'true' }],
  ['an enforced safelist', { PERSISTED_QUERIES_SAFELIST: SAFELIST, PERSISTED_QUERIES_ENFORCE: 'true' }],
  ['the upstream debug trace', { GATEWAY_DEBUG_UPSTREAM: 'true' }],
  ['the response cache on', { RESPONSE_CACHE_MB: '8' }],
  ['graphql-js only (no jit, no prepared operations)', { GRAPHQL_JIT: 'false', GRAPHQL_PREPARED_OPERATIONS: 'false' }],
];

let running: { graphql: GatewayGraphql; stores: Stores } | undefined;
afterEach(async () => {
  await running?.graphql.apollo.stop();
  await running?.stores.close();
  running = undefined;
});

async function startedApollo(env: Record<string, string>) {
  const config = loadConfig({ PHARMAONE_SANDBOX: 'true', RESPONSE_CACHE_MB: '0', ...env });
  const stores = createStores(storeSettingsOf(config), { registry: new Registry() });
  const tracing = await createTracing({ ...config.tracing, enabled: false });
  const graphql = createApolloServer(config, { logger: createLogger({ level: 'silent' }), tracing, stores, proven: () => true });
  running = { graphql, stores };
  // Apollo adds its default plugins (cache control, usage reporting, …) when it starts.
  await graphql.apollo.start();
  return { config, internals: (graphql.apollo as unknown as { internals: ApolloInternals }).internals };
}

describe('the Apollo parts the policy knows', () => {
  it('names only rules of the policy', () => {
    const rules = new Set<string>(ADMISSION_POLICY.map((rule) => rule.name));
    const named = Object.values(APOLLO_PARTS).flatMap((part) => ('rules' in part ? part.rules : []));
    expect(named.filter((rule) => !rules.has(rule))).toEqual([]);
  });

  it('tells an unlisted plugin or rule from a listed one', () => {
    const anonymous = { requestDidStart: async () => undefined };
    function someRule() {
      return {};
    }
    expect(unlisted([gatewayPart('admission', {}), anonymous, someRule, { __internal_plugin_id__: 'UsageReporting' }])).toEqual([
      'unnamed',
      'unnamed:someRule',
      'apollo:UsageReporting',
    ]);
  });

  it.each(CONFIGURATIONS)('with %s: every plugin and validation rule is listed, and nothing bypasses admission', async (_name, env) => {
    const { config, internals } = await startedApollo(env);
    expect(unlisted(internals.plugins)).toEqual([]);
    expect(unlisted(internals.validationRules)).toEqual([]);
    expect(internals.plugins.map(partName)[0]).toBe('admission');
    expect(internals.validationRules.map(partName)).toEqual([
      'depth-limit',
      'alias-limit',
      'directive-limit',
      'deferred-limit',
      ...(config.queryLimits.introspection ? [] : ['introspection']),
    ]);
    // CSRF is src/http/request-rules.ts's (one rule for /graphql and graphql-sse), the token limit the admission's.
    expect(internals.csrfPreventionRequestHeaders).toBeNull();
    expect(internals.dangerouslyDisableValidation).toBe(false);
    expect(internals.parseOptions).toEqual({ maxTokens: config.queryLimits.maxTokens });
  });
});
