// The executable schema: SDL from schema/**/*.graphql (one folder per domain) joined with the
// resolver map (one file per GraphQL type in ./resolvers). With FEDERATION_SUBGRAPH=true the same
// graph is built as a Federation 2 subgraph (src/federation/); standalone it has no federation fields.
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { buildSubgraphGatewaySchema } from '../federation/subgraph-schema.ts';
import { resolvers } from './resolvers/index.ts';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));

export function readTypeDefs(): string[] {
  return globSync('**/*.graphql', { cwd: schemaDir })
    .sort()
    .map((file) => readFileSync(schemaDir + file, 'utf8'));
}

export function buildGatewaySchema(mode: { federationSubgraph?: boolean } = {}): GraphQLSchema {
  if (mode.federationSubgraph) return buildSubgraphGatewaySchema(readTypeDefs(), resolvers);
  return makeExecutableSchema({ typeDefs: readTypeDefs(), resolvers });
}
