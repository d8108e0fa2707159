// The executable schema: SDL from schema/**/*.graphql (one folder per domain) joined with the
// resolver map (one file per GraphQL type in ./resolvers), every field guarded by ./field-guard.ts.
// The gateway-internal cost declarations (@upstream, @listSize, UpstreamCallScope) are read from
// the fields' SDL nodes and kept out of the served (and so the printed and introspected) schema.
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLSchema } from 'graphql';
import { guardFields } from './field-guard.ts';
import { resolvers } from './resolvers/index.ts';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));

/** Directives and types of the SDL that describe PharmaOne, not the graph. */
export const INTERNAL_DIRECTIVES = new Set(['upstream', 'listSize']);
const INTERNAL_TYPES = new Set(['UpstreamCallScope']);

export function readTypeDefs(): string[] {
  return globSync('**/*.graphql', { cwd: schemaDir })
    .sort()
    .map((file) => readFileSync(schemaDir + file, 'utf8'));
}

export function buildGatewaySchema(): GraphQLSchema {
  const config = makeExecutableSchema({ typeDefs: readTypeDefs(), resolvers }).toConfig();
  const served = new GraphQLSchema({
    ...config,
    directives: config.directives.filter((directive) => !INTERNAL_DIRECTIVES.has(directive.name)),
    types: config.types.filter((type) => !INTERNAL_TYPES.has(type.name)),
  });
  // Every field: an unrepresentable value fails only that field, naming it, never the value (field-guard.ts).
  return guardFields(served);
}
