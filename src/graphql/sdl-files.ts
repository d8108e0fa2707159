// Where the graph's SDL lives: the shared building blocks (root types, scalars, Money, paging,
// errors, directive definitions) in src/graphql/schema/, then one schema.graphql per domain module
// in src/modules/<domain>/. The one list the server (schema.ts), codegen (codegen.ts) and the SDL
// tests read, so they can never disagree on which files make the graph.
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Globs relative to the repository root, in the order their files are joined. */
export const SDL_GLOBS = ['src/graphql/schema/*.graphql', 'src/modules/*/schema.graphql'];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The SDL files, relative to the repository root: shared first, then the modules alphabetically. */
export function sdlFiles(): string[] {
  return SDL_GLOBS.flatMap((pattern) => globSync(pattern, { cwd: root }).sort());
}

/** The text of every SDL file, in sdlFiles() order. */
export function readTypeDefs(): string[] {
  return sdlFiles().map((file) => readFileSync(root + file, 'utf8'));
}
