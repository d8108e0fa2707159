import type { PrescriptionStatsResolvers } from '../../generated/graphql-resolvers.ts';

export const PrescriptionStats: PrescriptionStatsResolvers = {
  total: (counts) => counts.total,
  pending: (counts) => counts.pending,
  approved: (counts) => counts.approved,
  completed: (counts) => counts.completed,
  declined: (counts) => counts.declined,
};
