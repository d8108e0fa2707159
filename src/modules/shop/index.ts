// The shop module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { Shop } from './Shop.ts';

export const shopResolvers: Resolvers = { Shop };
