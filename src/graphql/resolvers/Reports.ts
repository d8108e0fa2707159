import type { ReportsResolvers } from '../../generated/graphql-resolvers.ts';
import { ErrorCode, clientError } from '../errors.ts';

export const Reports: ReportsResolvers = {
  dashboard: async (reports, _, { loaders }) => ({ ...(await loaders.dashboard.load(reports.orgId)), orgId: reports.orgId }),
  productPerformance: async (reports, { limit }, { pharmaone }) => {
    if (limit !== null && limit !== undefined && (limit < 1 || limit > 100)) {
      throw clientError(ErrorCode.BAD_USER_INPUT, `limit must be between 1 and 100, got ${limit}`);
    }
    const { data } = await pharmaone.getProductPerformance(reports.orgId, limit ?? undefined);
    return data.map((row) => ({ ...row, orgId: reports.orgId }));
  },
};
