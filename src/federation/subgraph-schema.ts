// The gateway's graph as a Federation 2 subgraph (FEDERATION_SUBGRAPH=true): the same SDL and
// resolvers as the standalone graph, plus entities.graphql (the @link and the keys) and the
// reference resolvers, built by @apollo/subgraph, which adds `_service { sdl }` and `_entities`.
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { concatAST, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../modules/resolver-types.ts';
import { referenceResolvers } from './reference-resolvers.ts';

const entitiesSdl = readFileSync(new URL('./entities.graphql', import.meta.url), 'utf8');

export function buildSubgraphGatewaySchema(typeDefs: string[], resolvers: Resolvers): GraphQLSchema {
  const merged: Record<string, unknown> = { ...resolvers };
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    merged[typeName] = { ...(resolvers[typeName as keyof Resolvers] as object), ...reference };
  }
  return buildSubgraphSchema([
    {
      typeDefs: concatAST([...typeDefs, entitiesSdl].map((sdl) => parse(sdl))),
      resolvers: merged as GraphQLResolverMap<unknown>,
    },
  ]);
}
