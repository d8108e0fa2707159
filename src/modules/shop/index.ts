// The shop module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../../generated/graphql-resolvers.ts';
import { Shop } from './Shop.ts';

export const shopResolvers: Resolvers = { Shop };
