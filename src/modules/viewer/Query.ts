import type { QueryResolvers } from '../resolver-types.ts';

export const Query: QueryResolvers = {
  viewer: async (_, __, { caller, pharmaone }) => {
    if (caller.apiKey !== undefined) {
      // Pass-through: PharmaOne has no "my orgs" endpoint; list the orgs this key already reached.
      const orgs = pharmaone.heldTokens(caller.apiKey).map((token) => ({ id: token.orgId, scopes: token.scopes }));
      return { mode: caller.mode, orgs };
    }
    // BFF: the granted orgs, each with its token's scopes (one cached exchange per org).
    const orgs = await Promise.all(
      (caller.grantedOrgs ?? []).map(async (id) => ({
        id,
        scopes: await pharmaone.token(id).then(
          (token) => token.scopes,
          () => [],
        ),
      })),
    );
    return { mode: caller.mode, orgs };
  },
};
