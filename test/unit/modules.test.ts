// The domain modules (src/modules/<domain>/): each resolves only what its own SDL declares, and the
// merge of their resolver maps refuses a field two modules both claim.
import { globSync, readFileSync, readdirSync } from 'node:fs';
import { Kind, concatAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Resolvers } from '../../src/modules/resolver-types.ts';
import { mergeResolvers } from '../../src/schema/resolvers.ts';
import { sdlFiles } from '../../src/schema/sdl-files.ts';
import { feedResolvers } from '../../src/modules/feed/index.ts';
import { inventoryResolvers } from '../../src/modules/inventory/index.ts';
import { orderResolvers } from '../../src/modules/order/index.ts';
import { orgResolvers } from '../../src/modules/org/index.ts';
import { prescriptionResolvers } from '../../src/modules/prescription/index.ts';
import { productResolvers } from '../../src/modules/product/index.ts';
import { reportResolvers } from '../../src/modules/report/index.ts';
import { shopResolvers } from '../../src/modules/shop/index.ts';
import { viewerResolvers } from '../../src/modules/viewer/index.ts';

const root = new URL('../../', import.meta.url);
const modulesDir = new URL('src/modules/', root);

const MODULE_RESOLVERS: Record<string, Resolvers> = {
  feed: feedResolvers,
  inventory: inventoryResolvers,
  order: orderResolvers,
  org: orgResolvers,
  prescription: prescriptionResolvers,
  product: productResolvers,
  report: reportResolvers,
  shop: shopResolvers,
  viewer: viewerResolvers,
};

/** The module's SDL files as the graph reads them (src/schema/sdl-files.ts). */
function moduleSdlFiles(module: string): string[] {
  return sdlFiles().filter((file) => file.startsWith(`src/modules/${module}/`));
}

/** Type name → the fields the module's SDL declares on it (defined or extended in any of its files). */
function declaredFields(module: string): Map<string, Set<string>> {
  const document = concatAST(moduleSdlFiles(module).map((file) => parse(readFileSync(new URL(file, root), 'utf8'))));
  const declared = new Map<string, Set<string>>();
  for (const node of document.definitions) {
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const fields = declared.get(node.name.value) ?? new Set<string>();
    for (const field of node.fields ?? []) fields.add(field.name.value);
    declared.set(node.name.value, fields);
  }
  return declared;
}

describe('the domain modules', () => {
  it('are exactly the folders of src/modules, each with its SDL, parents and resolver map', () => {
    const entries = readdirSync(modulesDir, { withFileTypes: true });
    // Beside the modules only their generated resolver signatures (codegen.ts).
    expect(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name)).toEqual(['resolver-types.ts']);
    const folders = entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(Object.keys(MODULE_RESOLVERS).sort());
    for (const folder of folders) {
      expect(readdirSync(new URL(`${folder}/`, modulesDir))).toEqual(expect.arrayContaining(['schema.graphql', 'parents.ts', 'index.ts']));
    }
  });

  it.each(Object.keys(MODULE_RESOLVERS))('%s: the graph reads every SDL file of the module, its schema.graphql first', (module) => {
    const inFolder = globSync('*.graphql', { cwd: new URL(module, modulesDir) }).map((name) => `src/modules/${module}/${name}`);
    const read = moduleSdlFiles(module);
    expect([...read].sort()).toEqual(inFolder.sort());
    expect(read[0]).toBe(`src/modules/${module}/schema.graphql`);
  });

  it('reads the order module in two files: its types, then its writes', () => {
    expect(moduleSdlFiles('order')).toEqual(['src/modules/order/schema.graphql', 'src/modules/order/mutations.graphql']);
  });

  it.each(Object.entries(MODULE_RESOLVERS))('%s resolves only fields its own SDL files declare', (module, resolvers) => {
    const declared = declaredFields(module);
    const strays = Object.entries(resolvers).flatMap(([typeName, fields]) => {
      const own = declared.get(typeName);
      if (own === undefined) return [typeName];
      return Object.keys(fields as object)
        .filter((field) => !field.startsWith('__') && !own.has(field))
        .map((field) => `${typeName}.${field}`);
    });
    expect(strays).toEqual([]);
  });
});

describe('mergeResolvers', () => {
  const viewer = async () => ({ mode: 'BFF' as const, orgs: [] });
  const org = async () => ({ id: 'org1' });

  it('joins the root fields several maps add to one type', () => {
    const merged = mergeResolvers([{ Query: { org } }, { Query: { viewer } }]);
    expect(Object.keys(merged.Query ?? {})).toEqual(['org', 'viewer']);
  });

  it.each([
    ['the only field', [{ Query: { org } }, { Query: { org } }], 'Query.org is resolved by two resolver maps'],
    ['one field among others', [{ Query: { viewer } }, { Query: { org, viewer } }], 'Query.viewer is resolved by two resolver maps'],
  ] as Array<[string, Resolvers[], string]>)('refuses a field two maps both resolve (%s)', (_, maps, message) => {
    expect(() => mergeResolvers(maps)).toThrow(message);
  });
});
