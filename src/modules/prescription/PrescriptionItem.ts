import type { PrescriptionItemResolvers } from '../../generated/graphql-resolvers.ts';

export const PrescriptionItem: PrescriptionItemResolvers = {
  name: (item) => item.name,
  quantity: (item) => item.quantity,
  dosage: (item) => item.dosage ?? null,
};
