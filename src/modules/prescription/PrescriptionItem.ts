import type { PrescriptionItemResolvers } from '../resolver-types.ts';

export const PrescriptionItem: PrescriptionItemResolvers = {
  name: (item) => item.name,
  quantity: (item) => item.quantity,
  dosage: (item) => item.dosage ?? null,
};
