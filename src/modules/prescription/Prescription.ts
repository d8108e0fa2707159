import type { PrescriptionResolvers } from '../resolver-types.ts';
import { inOrg } from '../../graphql/in-org.ts';
import { prescriptionStatusFromRest } from '../../domain/enums.ts';

export const Prescription: PrescriptionResolvers = {
  id: (rx) => rx.id,
  orgId: (rx) => rx.orgId,
  shopId: (rx) => rx.shop_id,
  shop: (rx, _, { loaders }) => loaders.shop(rx.orgId, rx.shop_id),
  status: (rx) => prescriptionStatusFromRest(rx.status).value,
  statusRaw: (rx) => prescriptionStatusFromRest(rx.status).raw,
  patientName: (rx) => rx.patient_name,
  patientEmail: (rx) => rx.patient_email ?? null,
  doctorName: (rx) => rx.doctor_name,
  externalReference: (rx) => rx.external_reference ?? null,
  orderId: (rx) => rx.order_id ?? null,
  order: async (rx, _, { loaders }) =>
    rx.order_id ? inOrg(rx.orgId, await loaders.orderDetail.load({ orgId: rx.orgId, orderId: rx.order_id })) : null,
  items: (rx) => rx.items,
  createdAt: (rx) => rx.created_at,
  updatedAt: (rx) => rx.updated_at,
};
