// The executable schema: SDL from schema/**/*.graphql (one folder per domain) joined with the
// resolver map (one file per GraphQL type in ./resolvers).
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.ts';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));

export function readTypeDefs(): string[] {
  return globSync('**/*.graphql', { cwd: schemaDir })
    .sort()
    .map((file) => readFileSync(schemaDir + file, 'utf8'));
}

export function buildGatewaySchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: readTypeDefs(), resolvers });
}
