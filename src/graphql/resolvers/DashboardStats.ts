import type { DashboardStatsResolvers } from '../../generated/graphql-resolvers.ts';

export const DashboardStats: DashboardStatsResolvers = {
  prescriptions: (stats) => stats.prescriptions,
  shopPerformance: (stats) => stats.shop_performance.map((row) => ({ ...row, orgId: stats.orgId })),
  monthlyTrends: (stats) => stats.monthly_trends,
};
