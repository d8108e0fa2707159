// The viewer module's resolver map: one file per GraphQL type, merged with the other modules' by
// src/schema/resolvers.ts.
import type { Resolvers } from '../resolver-types.ts';
import { Query } from './Query.ts';
import { ViewerOrg } from './ViewerOrg.ts';

export const viewerResolvers: Resolvers = { Query, ViewerOrg };
