import type { PrescriptionStatsResolvers } from '../resolver-types.ts';

export const PrescriptionStats: PrescriptionStatsResolvers = {
  total: (counts) => counts.total,
  pending: (counts) => counts.pending,
  approved: (counts) => counts.approved,
  completed: (counts) => counts.completed,
  declined: (counts) => counts.declined,
};
