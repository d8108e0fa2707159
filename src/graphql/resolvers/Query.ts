import type { QueryResolvers } from '../../generated/graphql-resolvers.ts';

export const Query: QueryResolvers = {
  // The token exchange proves the caller may reach the org (and is cached per credential).
  org: async (_, { id }, { pharmaone }) => {
    await pharmaone.token(id);
    return { id };
  },
  viewer: (_, __, { pharmaone }) => ({
    mode: 'PASS_THROUGH',
    orgs: pharmaone.heldTokens().map((token) => ({ id: token.orgId, scopes: token.scopes })),
  }),
};
