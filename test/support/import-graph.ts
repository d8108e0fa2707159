// The repository's relative imports as a graph of files, and the layer order docs/architecture.md's
// Architecture table writes down, for test/architecture/layers.test.ts. Each relative import is
// resolved to the file it names (`../graphql/x.ts` means a different folder at every depth), so a
// rule holds wherever the importing file sits.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ImportEdge {
  /** Importing file, relative to the repository root (`src/writes/run-write.ts`). */
  from: string;
  /** Imported file, resolved the same way. */
  to: string;
}

// Static `import … from`, `export … from`, side-effect `import '…'` and dynamic `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => match[2] ?? '');
}

/** Every .ts/.tsx file under `folder` (relative to the repository root), or the file itself. */
export function sourceFiles(folder: string): string[] {
  if (/\.tsx?$/.test(folder)) return [folder];
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The relative imports of every source file under `places` (folders or files). */
export function importGraph(places: string[]): ImportEdge[] {
  return places.flatMap(sourceFiles).flatMap((from) =>
    importSpecifiers(readFileSync(join(root, from), 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({
        from,
        to: relative(root, resolve(root, dirname(from), specifier))
          .split('\\')
          .join('/'),
      })),
  );
}

/**
 * The import cycles among files, each sorted: every group of files that reach one another through
 * their imports (type-only and dynamic ones too), and any file importing itself. A cycle hides
 * which of its files is the lower layer, and a module that reaches back into its importer may run
 * before it is initialised.
 */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(next.get(from) ?? [])];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (file === to) return true;
      if (seen.has(file)) continue;
      seen.add(file);
      stack.push(...(next.get(file) ?? []));
    }
    return false;
  };
  const files = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].sort();
  const grouped = new Set<string>();
  const cycles: string[][] = [];
  for (const file of files) {
    if (grouped.has(file) || !reaches(file, file)) continue;
    const group = files.filter((other) => other === file || (reaches(file, other) && reaches(other, file)));
    for (const member of group) grouped.add(member);
    cycles.push(group);
  }
  return cycles;
}

/** A file's layer: its first-level folder under src/ (`src/feed/bus/x.ts` → `src/feed`), or itself for a file directly in src/. */
export function layerOf(file: string): string | undefined {
  const match = /^src\/([^/]+)(\/)?/.exec(file);
  if (!match) return undefined;
  return match[2] ? `src/${match[1]}` : file;
}

/** The header of the docs/architecture.md table that writes the layer order down. */
export const LAYER_TABLE_HEADER = '| layer (bottom to top) | what it is |';

/**
 * The layers in the order the table lists them, bottom first: the first cell of each row,
 * `src/feed/` read as `src/feed`. Throws when "The layers" section has no such table, so a
 * renamed header cannot leave the order unchecked.
 */
export function readLayerTable(markdown: string): string[] {
  const section = /^## The layers\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1] ?? '';
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.trim() === LAYER_TABLE_HEADER);
  if (start === -1) throw new Error(`no "${LAYER_TABLE_HEADER}" table in docs/architecture.md's "The layers" section`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cell = /^\|\s*`([^`]+)`\s*\|/.exec(line)?.[1];
    if (!cell) throw new Error(`a layer row must start with one \`src/…\` path: ${line}`);
    rows.push(cell.replace(/\/$/, ''));
  }
  return rows;
}

/**
 * Imports between layers that do not go down the order: to a higher layer, or from or to a
 * src/ file whose layer the order does not list. Imports within one layer are that layer's own.
 */
export function upwardImports(edges: ImportEdge[], order: string[]): ImportEdge[] {
  return edges.filter((edge) => {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (from === undefined || to === undefined || from === to) return false;
    const [rankFrom, rankTo] = [order.indexOf(from), order.indexOf(to)];
    return rankFrom === -1 || rankTo === -1 || rankTo > rankFrom;
  });
}
