// The layer order, checked on the resolved import graph of src/: written once, as the table in
// docs/architecture.md, "The layers" (bottom to top), which this test reads, so a newcomer's map and the
// rule cannot disagree. An import goes down that order or stays in its folder; every src/ folder
// (and every file directly in src/) has its row. The finer rules below keep apart what the order
// alone would allow. Biome's noRestrictedImports (biome.json) catches most of these in the editor,
// but it matches import specifiers, not files: `../graphql/x.ts` means a different folder at every
// depth. The graph (test/support/import-graph.ts) resolves each import to the file it names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  importCycles,
  importGraph,
  importSpecifiers,
  layerOf,
  readLayerTable,
  sourceFiles,
  upwardImports,
} from '../support/import-graph.ts';
import type { ImportEdge } from '../support/import-graph.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface LayerRule {
  /** What the rule keeps apart, in the words of docs/architecture.md. */
  name: string;
  appliesTo(file: string): boolean;
  /** Whether importing `target` from `from` (a file the rule applies to) breaks the rule. */
  forbids(target: string, from: string): boolean;
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/** `src/modules/order/Order.ts` → `order`; undefined outside src/modules. */
const moduleOf = (file: string): string | undefined => /^src\/modules\/([^/]+)\//.exec(file)?.[1];
/** A module's public surface: its resolver map (index.ts, for the merge) and its parent types (parents.ts). */
const isModuleIndex = (file: string) => /^src\/modules\/[^/]+\/index\.ts$/.test(file);
const isModuleParents = (file: string) => /^src\/modules\/[^/]+\/parents\.ts$/.test(file);
/** The modules' resolver signatures, generated beside them (codegen.ts): part of their public surface. */
const RESOLVER_TYPES = 'src/modules/resolver-types.ts';
/** The one place that imports every module's resolver map. */
const RESOLVER_MERGE = 'src/schema/resolvers.ts';

const LAYER_RULES: LayerRule[] = [
  {
    name: 'src/upstream (the REST client) does not import the GraphQL, HTTP or writes layers above it',
    appliesTo: under('src/upstream'),
    forbids: (target) => ['src/graphql', 'src/http', 'src/writes'].some((folder) => under(folder)(target)),
  },
  {
    name: 'src/http does not import resolvers or the schema assembly: it serves whatever schema it is given',
    appliesTo: under('src/http'),
    forbids: (target) => under('src/graphql/resolvers')(target) || under('src/modules')(target) || under('src/schema')(target),
  },
  {
    // A domain module (src/modules/<domain>/) is private: what two modules share lives in a shared
    // layer (src/graphql, src/loaders, src/domain, src/upstream, src/writes), never in one of them.
    // The one exception is a parent type (parents.ts), where no shared type will do.
    name: "a module imports only its own folder, the shared layers and, where unavoidable, another module's parents.ts",
    appliesTo: under('src/modules'),
    forbids: (target, from) => moduleOf(target) !== undefined && moduleOf(target) !== moduleOf(from) && !isModuleParents(target),
  },
  {
    name: 'a module does not import the edge or the assembly above it (src/http, gateway, main, schema.ts, the resolver merge)',
    appliesTo: under('src/modules'),
    forbids: (target) =>
      under('src/http')(target) ||
      ['src/gateway.ts', 'src/gateway-server.ts', 'src/main.ts', 'src/schema/schema.ts', RESOLVER_MERGE].includes(target),
  },
  {
    name: "outside src/modules, only the resolver merge imports a module's index.ts; anything else imports at most its parents.ts and the resolver types",
    appliesTo: (file) => under('src')(file) && !under('src/modules')(file),
    forbids: (target, from) =>
      under('src/modules')(target) &&
      !isModuleParents(target) &&
      target !== RESOLVER_TYPES &&
      !(from === RESOLVER_MERGE && isModuleIndex(target)),
  },
  {
    name: 'src/writes does not import the GraphQL layer',
    appliesTo: under('src/writes'),
    forbids: under('src/graphql'),
  },
  {
    name: 'gateway code never imports the sandbox (only src/main.ts starts it)',
    appliesTo: (file) => under('src')(file) && file !== 'src/main.ts' && !under('src/sandbox')(file),
    forbids: under('src/sandbox'),
  },
  {
    // The one environment parser (src/config/env.ts, no dependencies of its own) is shared so that
    // `npm run sandbox` reads SANDBOX_PORT the same way the gateway reads PORT.
    name: 'the sandbox stands alone: it imports nothing of the gateway but the environment parser',
    appliesTo: under('src/sandbox'),
    forbids: (target) => under('src')(target) && !under('src/sandbox')(target) && target !== 'src/config/env.ts',
  },
];

/**
 * Imports that break a rule today, each removed by the named issue. When that work lands the
 * import goes, this test fails on the stale entry, and the entry is deleted.
 */
const KNOWN_VIOLATIONS: Array<ImportEdge & { removedBy: string }> = [];

function violations(edges: ImportEdge[], rules: LayerRule[] = LAYER_RULES): Array<ImportEdge & { rule: string }> {
  return edges.flatMap((edge) =>
    rules.filter((rule) => rule.appliesTo(edge.from) && rule.forbids(edge.to, edge.from)).map((rule) => ({ ...edge, rule: rule.name })),
  );
}

describe('the import reader', () => {
  it.each([
    [`import { a } from '../graphql/errors.ts';`, ['../graphql/errors.ts']],
    [`import type { B } from "./b.ts";`, ['./b.ts']],
    [`export { c } from '../c.ts';\nexport * from './d.ts';`, ['../c.ts', './d.ts']],
    [`import {\n  e,\n  f,\n} from '../../sandbox/server.ts';`, ['../../sandbox/server.ts']],
    [`const { g } = await import('./sandbox/server.ts');`, ['./sandbox/server.ts']],
    [`import './side-effect.ts';`, ['./side-effect.ts']],
    [`// a comment that says import nothing\nconst from = 1;`, []],
  ])('reads the specifiers of %j', (source, expected) => {
    expect(importSpecifiers(source)).toEqual(expected);
  });
});

describe('the layer rules', () => {
  // One forbidden and one allowed import per rule, so every rule is shown to fire and to be narrow.
  it.each([
    ['src/upstream/resilience/retry.ts', 'src/graphql/errors.ts', true],
    ['src/upstream/pharmaone-client.ts', 'src/http/router.ts', true],
    ['src/upstream/pharmaone-client.ts', 'src/writes/run-write.ts', true],
    ['src/upstream/resilience/retry.ts', 'src/upstream/http.ts', false],
    ['src/http/router.ts', 'src/schema/resolvers.ts', true],
    ['src/http/graphql-handler.ts', 'src/graphql/plugins/persisted-queries.ts', false],
    ['src/writes/run-write.ts', 'src/graphql/context.ts', true],
    ['src/writes/run-write.ts', 'src/upstream/upstream-errors.ts', false],
    ['src/gateway.ts', 'src/sandbox/server.ts', true],
    ['src/modules/org/Org.ts', 'src/sandbox/api-keys.ts', true],
    ['src/http/router.ts', 'src/modules/order/Order.ts', true],
    ['src/modules/order/Order.ts', 'src/modules/shop/Shop.ts', true],
    ['src/modules/order/mutations.ts', 'src/modules/shop/index.ts', true],
    ['src/modules/report/ShopPerformance.ts', 'src/modules/shop/parents.ts', false],
    ['src/modules/order/index.ts', 'src/modules/order/Order.ts', false],
    ['src/modules/order/Order.ts', 'src/loaders/create-loaders.ts', false],
    ['src/modules/order/Order.ts', 'src/graphql/in-org.ts', false],
    ['src/modules/org/Org.ts', 'src/schema/resolvers.ts', true],
    ['src/modules/org/Org.ts', 'src/schema/schema.ts', true],
    ['src/modules/org/Org.ts', 'src/http/router.ts', true],
    ['src/modules/org/Query.ts', 'src/gateway.ts', true],
    ['src/modules/org/Query.ts', 'src/gateway-server.ts', true],
    ['src/schema/resolvers.ts', 'src/modules/order/index.ts', false],
    ['src/schema/schema.ts', 'src/modules/order/index.ts', true],
    ['src/schema/resolvers.ts', 'src/modules/order/Order.ts', true],
    ['src/federation/reference-resolvers.ts', 'src/modules/order/parents.ts', false],
    ['src/federation/reference-resolvers.ts', 'src/modules/order/Order.ts', true],
    ['src/federation/subgraph-schema.ts', 'src/modules/resolver-types.ts', false],
    ['src/modules/order/Order.ts', 'src/modules/resolver-types.ts', false],
    ['src/main.ts', 'src/sandbox/server.ts', false],
    ['src/sandbox/routes/orders.ts', 'src/sandbox/model.ts', false],
    ['src/sandbox/server.ts', 'src/config.ts', true],
    ['src/sandbox/routes/orders.ts', 'src/domain/money.ts', true],
  ])('%s → %s is a violation: %s', (from, to, expected) => {
    expect(violations([{ from, to }]).length > 0).toBe(expected);
  });
});

describe('the cycle finder', () => {
  const edge = (from: string, to: string): ImportEdge => ({ from, to });
  it.each([
    ['a chain', [edge('a', 'b'), edge('b', 'c')], []],
    ['two files importing each other', [edge('a', 'b'), edge('b', 'a')], [['a', 'b']]],
    ['a file importing itself', [edge('a', 'a'), edge('a', 'b')], [['a']]],
    ['a ring of three, and a file hanging off it', [edge('c', 'a'), edge('a', 'b'), edge('b', 'c'), edge('c', 'd')], [['a', 'b', 'c']]],
    [
      'two separate cycles',
      [edge('a', 'b'), edge('b', 'a'), edge('x', 'y'), edge('y', 'x'), edge('b', 'x')],
      [
        ['a', 'b'],
        ['x', 'y'],
      ],
    ],
  ])('%s', (_, edges, expected) => {
    expect(importCycles(edges)).toEqual(expected);
  });
});

describe('the layer table reader', () => {
  const table = (rows: string) =>
    `# Title\n\n## The layers\n\n| layer (bottom to top) | what it is |\n|---|---|\n${rows}\nAfter the table.\n\n## Next\n\n| \`src/late/\` | not this section |\n`;

  it('reads the rows in order, folders without their slash, files as written', () => {
    expect(readLayerTable(table('| `src/config/` | the parser |\n| `src/upstream/` | REST |\n| `src/main.ts` | launcher |'))).toEqual([
      'src/config',
      'src/upstream',
      'src/main.ts',
    ]);
  });

  it.each([
    ['no table in the section', '# Title\n\n## The layers\n\nNo table.\n'],
    ['a row without a path', table('| `src/config/` | the parser |\n| upstream | REST |')],
  ])('refuses %s', (_, markdown) => {
    expect(() => readLayerTable(markdown)).toThrow();
  });
});

describe('the layer order', () => {
  const order = ['src/config', 'src/upstream', 'src/graphql', 'src/gateway.ts'];
  it.each([
    ['src/graphql/context.ts', 'src/upstream/pharmaone-client.ts', false],
    ['src/gateway.ts', 'src/config/env.ts', false],
    ['src/graphql/context.ts', 'src/graphql/errors.ts', false],
    ['src/upstream/resilience/retry.ts', 'src/upstream/http.ts', false],
    ['src/upstream/http.ts', 'src/graphql/errors.ts', true],
    ['src/config/env.ts', 'src/gateway.ts', true],
    ['src/upstream/http.ts', 'src/unlisted/x.ts', true],
    ['src/unlisted/x.ts', 'src/config/env.ts', true],
  ])('%s → %s goes up (or leaves the table): %s', (from, to, expected) => {
    expect(upwardImports([{ from, to }], order).length > 0).toBe(expected);
  });

  it.each([
    ['src/feed/bus/feed-bus.ts', 'src/feed'],
    ['src/gateway.ts', 'src/gateway.ts'],
    ['test/unit/x.ts', undefined],
  ])('puts %s in layer %s', (file, layer) => {
    expect(layerOf(file)).toBe(layer);
  });
});

describe('the src/ import graph', () => {
  const edges = importGraph(['src']);
  const order = readLayerTable(readFileSync(join(root, 'docs/architecture.md'), 'utf8'));

  it("lists every src/ folder and file in docs/architecture.md's layer table once, and nothing else", () => {
    const present = readdirSync(join(root, 'src'), { withFileTypes: true }).map((entry) => `src/${entry.name}`);
    expect([...order].sort()).toEqual(present.sort());
  });

  it('imports only down the layer order (docs/architecture.md, The layers)', () => {
    expect(upwardImports(edges, order)).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const files = new Set(sourceFiles('src'));
    expect(edges.length).toBeGreaterThan(100);
    expect(edges.filter((edge) => !files.has(edge.to))).toEqual([]);
  });

  it('keeps the layers apart, apart from the known violations listed above', () => {
    const known = (edge: ImportEdge) => KNOWN_VIOLATIONS.some((entry) => entry.from === edge.from && entry.to === edge.to);
    expect(violations(edges).filter((edge) => !known(edge))).toEqual([]);
  });

  it('has no cycles (src/feed/bus: backend.ts and redis-bus.ts were the last)', () => {
    expect(importCycles(edges)).toEqual([]);
  });

  it('has no cycles through scripts/ either (scripts/codegen.ts and its renderers were the last)', () => {
    const scripts = importGraph(['scripts', 'codegen.ts']);
    expect(scripts.length).toBeGreaterThan(10);
    expect(importCycles([...scripts, ...edges])).toEqual([]);
  });

  it('lists only known violations that still exist (delete an entry once its issue has removed the import)', () => {
    const found = violations(edges);
    expect(KNOWN_VIOLATIONS.filter((entry) => !found.some((edge) => edge.from === entry.from && edge.to === entry.to))).toEqual([]);
  });
});
