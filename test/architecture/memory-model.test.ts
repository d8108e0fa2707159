// Issue 21, "a memory model in bytes": src/memory-model.ts lists every store keyed by
// something a caller or PharmaOne controls, with its bound in heap bytes. This test holds the model
// to the code and to the deployment:
// - every Map, Set, WeakMap, WeakSet and LRU cache in src/ (found by TypeScript's parser; the
//   sandbox, a separate demo upstream, and generated code aside) is a site of a declared store or
//   is listed below as bounded by construction, with why; a new one without either fails;
// - each byte-bounded store, filled past its bound by its own factory in a child process, keeps at
//   most the heap the model declares for it, and so does the feed's memory bus filled past its
//   counts of scopes and events (test/support/store-heap.ts);
// - the table in docs/performance.md is the model at the default configuration, and the defaults with the
//   process's own baseline fit the heap deploy/kubernetes gives the gateway with 20 % to spare.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript5';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { BASELINE_HEAP_BYTES, MEMORY_STORES, memoryModel } from '../../src/memory-model.ts';
import { deploymentLimits } from '../support/process-flood.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const EXCLUDED = ['src/generated', 'src/sandbox'];
const CONSTRUCTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'LRUCache', 'InMemoryLRUCache']);

const CALL = 'local to one call: gone when it returns';
const FIXED = 'keyed by the code, the schema or the route table: fixed at load';
const CONFIG = "keyed by the operator's configuration";
const REQUEST = 'one per request or operation, keyed by what it holds (bounded by the request limits) and gone with it';
const LIVE = 'as large as what is live (requests in flight, connections, subscriptions: HTTP_MAX_CONNECTIONS and the feed limits)';
const WEAK = 'weak: an entry lives only as long as its key object, which a bounded store or a request holds';

/** Sites that need no declared bound, each with why. */
const BOUNDED_BY_CONSTRUCTION: Record<string, string> = {
  'src/auth/auth-config.ts › readAuthConfig › <expression>': CONFIG,
  'src/auth/caller.ts › bffScopeId › <expression>': CALL,
  'src/auth/org-keys.ts › loadOrgKeys › <returned>': CONFIG,
  'src/auth/org-keys.ts › loadOrgKeys › keys': CONFIG,
  'src/config/env.ts › <module> › TRUE': FIXED,
  'src/server/stores.ts › countDisconnects › counts': `${FIXED}: one count per Redis connection (idempotency, cache)`,
  'src/feed/changes/write-events.ts › createWritePublications › pending':
    'one entry per write answered by this replica whose event is still being published; each ends within the upstream deadline, and the writes in flight are bounded by admission',
  'src/config/env.ts › <module> › FALSE': FIXED,
  'src/config/env.ts › recordedLookups › namesRead': `${FIXED}: the names the configuration code reads`,
  'src/config/env.ts › recordedLookups › reads': `${FIXED}: how each of those names is read (kind, default, bounds)`,
  'src/config.ts › knownSettings › <expression>': CALL,
  'src/config.ts › knownSettings › names': `${FIXED}: the names the configuration code reads, found once`,
  'src/config/unread-settings.ts › <module> › FOREIGN_NAMES': FIXED,
  'src/config/unread-settings.ts › describe › <expression>': CALL,
  'src/config/unread-settings.ts › findUnreadSettings › set': CALL,
  'src/config/unread-settings.ts › ownedPrefixes › prefixes': CALL,
  'src/upstream/resilience/resilience-config.ts › <module> › RETIRED_RESILIENCE_SETTINGS': FIXED,
  'src/domain/enums.ts › <module> › canonicalByFamily': FIXED,
  'src/domain/enums.ts › canonical › map': FIXED,
  'src/graphql/safety/entities-estimate.ts › countRepresentations › byType': CALL,
  'src/graphql/safety/entities-estimate.ts › countRepresentations › orgIds': CALL,
  'src/graphql/safety/entities-estimate.ts › selectionsFor › seen': CALL,
  'src/graphql/safety/entities-estimate.ts › estimateEntities › shared': CALL,
  'src/graphql/safety/representations-rule.ts › representationsRule.<anonymous> › <expression>': CALL,
  'src/graphql/safety/representations.ts › <module> › MATCHED_KEY_FIELDS': FIXED,
  'src/graphql/safety/representations.ts › entityKeysOf › keys': CALL,
  'src/graphql/quota/client-identity.ts › identifyClient › <expression>': CALL,
  'src/graphql/quota/quota-settings.ts › overrides › found': CONFIG,
  'src/observability/client-usage.ts › createClientUsage › labelled': `${CONFIG}: the override names and the first QUOTA_CLIENT_LABELS others (a label each; later names are \`other\`)`,
  'src/feed/admission/live-count-limiter.ts › createLiveCountLimiter › counts': LIVE,
  'src/feed/admission/live-count-limiter.ts › createScopePlaces › holders': `${LIVE}: ORDER_FEED_MAX_SCOPES keys`,
  'src/feed/order-feed.ts › createOrderFeed › freshness': `${LIVE}: one entry per running poller, ORDER_FEED_MAX_SCOPES at most`,
  'src/observability/metrics.ts › boundedLabel › seen': 'at most MAX_ERROR_CODES (64) codes; later ones are labelled other',
  'src/feed/bus/feed-bus.ts › createMemoryFeedBus › listeners': LIVE,
  'src/feed/bus/feed-bus.ts › createMemoryFeedBus.listen › listeners.get(scope)': LIVE,
  'src/feed/fan-out/scope-table.ts › createScopeTable › states': LIVE,
  'src/feed/fan-out/scope-table.ts › createScopeTable.join › subscribers': LIVE,
  'src/feed/fan-out/subscriber.ts › createSubscriber › <expression>': 'one per subscription, the statuses it filters on (an enum)',
  'src/http/subscriptions/subscribe-lines.ts › createSubscribeLines › pending': WEAK,
  'src/graphql/document-caches.ts › createDocumentCacheGate › fromProvenCallers': WEAK,
  'src/graphql/document-caches.ts › createDocumentCacheGate › unprovenKeys': WEAK,
  'src/graphql/document-sizes.ts › compiledFields › fragments': CALL,
  'src/graphql/document-sizes.ts › compiledFields › spreading': CALL,
  'src/graphql/plugins/cache-policy.ts › operationCachePolicy › fragments': CALL,
  'src/graphql/plugins/cache-policy.ts › operationCachePolicy › visited': CALL,
  'src/graphql/plugins/cache-policy.ts › cachePolicyPlugin › byOperation': WEAK,
  'src/graphql/plugins/persisted-queries.ts › parseSafelist › operations': CONFIG,
  'src/graphql/resolvers/child-reads.ts › selectedChildren › byKey': `${CALL}: one entry per response key of the parent's selection (bounded by the document)`,
  'src/graphql/resolvers/child-reads.ts › selectedChildren › visited': `${CALL}: one entry per fragment of the document`,
  'src/graphql/safety/upstream-call-estimate.ts › readFieldCosts › costs': FIXED,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls › shared': CALL,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls.fieldsOf › <expression>': CALL,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls.walk › chargedOnParent': CALL,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls.walk › ownRoutes': CALL,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls.entitiesCalls.<anonymous> › paid': CALL,
  'src/graphql/safety/upstream-call-estimate.ts › estimateUpstreamCalls › <expression>': CALL,
  'src/schema/schema.ts › <module> › INTERNAL_DIRECTIVES': FIXED,
  'src/schema/schema.ts › <module> › INTERNAL_TYPES': FIXED,
  'src/schema/schema.ts › <module> › ROUTER_OWNED_DIRECTIVES': FIXED,
  'src/graphql/incremental.ts › <module> › usesDirectives': WEAK,
  'src/http/incremental-response.ts › sendParts › open': REQUEST,
  'src/schema/sdl-files.ts › graphSdl › definitions': FIXED,
  'src/http/graphql-media-types.ts › <module> › REQUEST_ERROR_CODES': FIXED,
  'src/loaders/create-loaders.ts › createLoaders.perShopByP1Id.<anonymous>.<anonymous>.<anonymous> › byP1Id': REQUEST,
  'src/logging/scrub.ts › <module> › knownSecrets': CONFIG,
  'src/observability/metrics.ts › boundObserver.<anonymous> › bySecond': 'one per label value of the store "operation names in metrics"',
  'src/observability/operation-report.ts › errorsIn › <expression>': CALL,
  'src/server/stores.ts › createStores.health › <expression>': CALL,
  'src/upstream/classify.ts › <module> › LASTING_REASONS': FIXED,
  'src/upstream/exchange-queue.ts › createExchangeQueues › queues': REQUEST,
  'src/upstream/resilience/deadline-clock.ts › <module> › #ticks':
    'the shared deadline clock: one AbortController per operation that made an upstream call, until its answer is sent or at most its deadline (OPERATION_DEADLINE_MS + DEADLINE_RESOLUTION_MS), so at most that long × the operation rate admission allows; each tick is dropped when it passes or empties',
  'src/upstream/resilience/deadline-clock.ts › controllerAt › <expression>':
    'one tick of #ticks (above): the controllers whose deadline falls in it',
  'src/upstream/resilience/deadline.ts › <module> › waiting': WEAK,
  'src/upstream/resilience/deadline.ts › onAbort › set': REQUEST,
  'src/upstream/response-shape.ts › <module> › SCALARS': FIXED,
  'src/upstream/response-shape.ts › <module> › compiled': FIXED,
  'src/upstream/response-shape.ts › <module> › sharedRefs': FIXED,
  'src/upstream/response-shape.ts › enumOf › <returned>': FIXED,
  'src/upstream/routes.ts › <module> › BY_REFERENCE': FIXED,
  'src/upstream/routes.ts › <module> › SUBJECTS': FIXED,
  'src/upstream/routes.ts › <module> › templates': FIXED,
  'src/upstream/routes.ts › <module> › bases': `${CONFIG} (base URLs; cleared past 64)`,
  'src/upstream/token-broker.ts › createTokenBroker › inFlight': LIVE,
  'src/upstream/pharmaone-client.ts › readsOnce › reads': REQUEST,
  'src/upstream/upstream-session.ts › createSessionTokens › tokensOfThisRequest': REQUEST,
  'src/upstream/upstream-session.ts › createSessionTokens › tracedCachedTokens': REQUEST,
  'src/upstream/upstream-session.ts › createSessionBooks › credentialKeys': REQUEST,
  'src/upstream/upstream-session.ts › <module> › bearers': WEAK,
  'src/writes/keyed-write.ts › createIdempotencyCoordinator › local': LIVE,
  'src/writes/run-write.ts › <module> › THROWN_CODES': FIXED,
};

function filesUnder(folder: string): string[] {
  if (EXCLUDED.includes(folder)) return [];
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return filesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** What holds the collection: the variable, property or assignment target it goes to, or how it leaves. */
function holderOf(node: ts.Node, file: ts.SourceFile): string {
  let at: ts.Node = node;
  while (ts.isAsExpression(at.parent) || ts.isParenthesizedExpression(at.parent) || ts.isSatisfiesExpression(at.parent)) at = at.parent;
  const parent = at.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return parent.name.getText(file);
  }
  if (ts.isBinaryExpression(parent) && parent.right === at) return parent.left.getText(file).replace(/^this\./, '');
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return '<returned>';
  return '<expression>';
}

/** Every `new Map(…)`, `new Set(…)`, … in `path`, as `file › enclosing functions › holder`. */
function collectionSites(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: string[] = [];
  const visit = (node: ts.Node, names: readonly string[]): void => {
    let inner = names;
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const parent = node.parent;
      const own = 'name' in node && node.name ? node.name.getText(file) : undefined;
      const assigned =
        (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name ? parent.name.getText(file) : undefined;
      inner = [...names, own ?? assigned ?? '<anonymous>'];
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && CONSTRUCTORS.has(node.expression.text)) {
      sites.push(`${path} › ${inner.length > 0 ? inner.join('.') : '<module>'} › ${holderOf(node, file)}`);
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(file, []);
  return sites;
}

describe('every long-lived collection in src/', () => {
  const found = [...new Set(filesUnder('src').flatMap(collectionSites))].sort();
  const declared = new Set(MEMORY_STORES.flatMap((store) => store.sites));

  it('is a site of a store in the memory model or bounded by construction (with why)', () => {
    const undeclared = found.filter((site) => !declared.has(site) && !(site in BOUNDED_BY_CONSTRUCTION));
    expect(undeclared).toEqual([]);
  });

  it('and neither list names a site that is gone', () => {
    const present = new Set(found);
    expect([...declared, ...Object.keys(BOUNDED_BY_CONSTRUCTION)].filter((site) => !present.has(site))).toEqual([]);
  });

  it('the scan finds what it looks for (a new Map in a factory, an LRU returned, a module Set)', () => {
    expect(found).toEqual(
      expect.arrayContaining([
        'src/graphql/jit-executor.ts › createOperationExecutor › plans',
        'src/graphql/plugins/persisted-queries.ts › memoryApqCache › <returned>',
        'src/logging/scrub.ts › <module> › knownSecrets',
      ]),
    );
  });
});

describe('each byte-bounded store (and the feed, by count), filled past its bound', () => {
  it('keeps at most the heap the model declares for it', () => {
    const output = execFileSync(process.execPath, ['--expose-gc', 'test/support/store-heap.ts'], { cwd: root, encoding: 'utf8' });
    const results = JSON.parse(output) as Array<{ store: string; bound: number; measured: number; declared: number }>;
    expect(results.map((result) => result.store).sort()).toEqual(
      MEMORY_STORES.filter((store) => store.heapBytesFor || store.measuredByCount)
        .map((store) => store.name)
        .sort(),
    );
    for (const result of results) {
      // Filled: the flood reached the bound (else the measurement says nothing).
      expect({ store: result.store, filled: result.measured > result.bound / 2 }).toEqual({ store: result.store, filled: true });
      expect({ store: result.store, within: result.measured <= result.declared }).toEqual({ store: result.store, within: true });
    }
  }, 120_000);
});

const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);

describe('the model at the default configuration', () => {
  const defaults = memoryModel(loadConfig({}));

  it('is the table of docs/performance.md, row for row, with its sum', () => {
    const page = readFileSync(join(root, 'docs/performance.md'), 'utf8');
    expect(page).toContain('\n## Memory model\n');
    const section = page.slice(page.indexOf('\n## Memory model\n'));
    const rows = [...section.matchAll(/^\| (?!store |---)([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)].map((m) =>
      m.slice(1, 6).map((cell) => cell.trim()),
    );
    const expected = defaults.rows.map(({ store, heapBytes }) => [
      store.name,
      store.keyedBy,
      store.env ? `\`${store.env}\`` : 'fixed',
      mib(heapBytes),
      store.bound,
    ]);
    expect(rows.slice(0, expected.length)).toEqual(expected);
    expect(section).toContain(`sum of the stores: **${mib(defaults.sumBytes)} MiB**`);
    expect(section).toContain(`baseline: **${mib(BASELINE_HEAP_BYTES)} MiB**`);
  });

  it('fits the heap deploy/kubernetes gives the gateway with at least 20 % to spare', () => {
    const { heapMiB } = deploymentLimits();
    const used = defaults.sumBytes + BASELINE_HEAP_BYTES;
    expect(used).toBeLessThanOrEqual(0.8 * heapMiB * MiB);
  });
});
