import type { ReportsResolvers } from '../resolver-types.ts';
import { sizeArgument } from '../../graphql/arguments.ts';
import { ErrorCode, clientError } from '../../graphql/errors.ts';
import { allInOrg, inOrg } from '../../graphql/in-org.ts';

export const Reports: ReportsResolvers = {
  dashboard: async (reports, _, { loaders }) => inOrg(reports.orgId, await loaders.dashboard.load(reports.orgId)),
  productPerformance: async (reports, args, { pharmaone }, info) => {
    const limit = sizeArgument(info, args, 'limit');
    if (limit !== null && limit !== undefined && (limit < 1 || limit > 100)) {
      throw clientError(ErrorCode.BAD_USER_INPUT, `limit must be between 1 and 100, got ${limit}`);
    }
    const { data } = await pharmaone.getProductPerformance(reports.orgId, { limit: limit ?? undefined });
    return allInOrg(reports.orgId, data);
  },
};
