import type { ViewerOrgResolvers } from '../resolver-types.ts';

export const ViewerOrg: ViewerOrgResolvers = {
  id: (org) => org.id,
  scopes: (org) => org.scopes,
  org: (org) => ({ id: org.id }),
};
