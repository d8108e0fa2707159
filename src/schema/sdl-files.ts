// Where the graph's SDL lives: the shared building blocks (root types, scalars, Money, paging,
// errors, directive definitions) in src/schema/ (base.graphql), then each domain module's SDL in
// src/modules/<domain>/: its schema.graphql, and more files beside it when one would be too long
// (order's writes are in mutations.graphql). The one list the server (schema.ts), codegen
// (codegen.ts) and the SDL tests read, so they can never disagree on which files make the graph.
import { globSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, concatAST, parse, print } from 'graphql';
import type { DefinitionNode, ObjectTypeDefinitionNode } from 'graphql';

/** Globs relative to the repository root, in the order their files are joined. */
const SDL_GLOBS = ['src/schema/*.graphql', 'src/modules/*/*.graphql'];

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The SDL files, relative to the repository root: shared first, then the modules alphabetically;
 * in a module its schema.graphql (the types it is about) first, then its other files by name.
 * Definitions are printed in this order (schema.graphql, schema.subgraph.graphql).
 */
export function sdlFiles(): string[] {
  return SDL_GLOBS.flatMap((pattern) => globSync(pattern, { cwd: root }).sort(bySdlOrder));
}

function bySdlOrder(a: string, b: string): number {
  const rank = (file: string) => `${dirname(file)}/${basename(file) === 'schema.graphql' ? 0 : 1}${basename(file)}`;
  const [rankA, rankB] = [rank(a), rank(b)];
  return rankA < rankB ? -1 : rankA > rankB ? 1 : 0;
}

/** The text of every SDL file, in sdlFiles() order. */
export function readTypeDefs(): string[] {
  return sdlFiles().map((file) => readFileSync(root + file, 'utf8'));
}

/**
 * The graph's SDL as one document: each module's `extend type Query` / `extend type Mutation` (or
 * any extension of an object type defined in these files) folded into the definition, fields
 * appended in file order. So the SDL @apollo/subgraph serves as `_service { sdl }`, which it prints
 * as given, has one definition per root type, exactly as before the graph was split into modules.
 */
export function graphSdl(): string {
  const document = concatAST(readTypeDefs().map((sdl) => parse(sdl)));
  const definitions = new Map<string, ObjectTypeDefinitionNode>();
  for (const node of document.definitions) {
    if (node.kind === Kind.OBJECT_TYPE_DEFINITION) definitions.set(node.name.value, node);
  }
  const folded: DefinitionNode[] = [];
  for (const node of document.definitions) {
    const definition = node.kind === Kind.OBJECT_TYPE_EXTENSION ? definitions.get(node.name.value) : undefined;
    if (node.kind !== Kind.OBJECT_TYPE_EXTENSION || definition === undefined) {
      folded.push(node);
      continue;
    }
    const merged: ObjectTypeDefinitionNode = {
      ...definition,
      interfaces: [...(definition.interfaces ?? []), ...(node.interfaces ?? [])],
      directives: [...(definition.directives ?? []), ...(node.directives ?? [])],
      fields: [...(definition.fields ?? []), ...(node.fields ?? [])],
    };
    definitions.set(node.name.value, merged);
  }
  // Definitions keep their place; the map holds each one with every extension folded in.
  return print({
    ...document,
    definitions: folded.map((node) => (node.kind === Kind.OBJECT_TYPE_DEFINITION ? (definitions.get(node.name.value) ?? node) : node)),
  });
}
