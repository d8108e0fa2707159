// The executable schema: SDL from schema/**/*.graphql (one folder per domain) joined with the
// resolver map (one file per GraphQL type in ./resolvers), every field guarded by ./field-guard.ts.
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { guardFields } from './field-guard.ts';
import { resolvers } from './resolvers/index.ts';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));

export function readTypeDefs(): string[] {
  return globSync('**/*.graphql', { cwd: schemaDir })
    .sort()
    .map((file) => readFileSync(schemaDir + file, 'utf8'));
}

export function buildGatewaySchema(): GraphQLSchema {
  // Every field: an unrepresentable value fails only that field, naming it, never the value (field-guard.ts).
  return guardFields(makeExecutableSchema({ typeDefs: readTypeDefs(), resolvers }));
}
