// The org module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { Org } from './Org.ts';
import { Query } from './Query.ts';

export const orgResolvers: Resolvers = { Query, Org };
