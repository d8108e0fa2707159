import type { QueryResolvers } from '../resolver-types.ts';
import { upstreamId } from '../../upstream/upstream-ids.ts';

export const Query: QueryResolvers = {
  // The token exchange proves the caller may reach the org (and is cached per credential).
  org: async (_, { id }, { pharmaone }) => {
    await pharmaone.token(upstreamId('id', id));
    return { id };
  },
};
