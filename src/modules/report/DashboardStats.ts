import type { DashboardStatsResolvers } from '../resolver-types.ts';
import { allInOrg } from '../../graphql/in-org.ts';

export const DashboardStats: DashboardStatsResolvers = {
  prescriptions: (stats) => stats.prescriptions,
  shopPerformance: (stats) => allInOrg(stats.orgId, stats.shop_performance),
  monthlyTrends: (stats) => stats.monthly_trends,
};
