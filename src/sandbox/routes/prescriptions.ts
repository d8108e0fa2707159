// §9 list and §10 ingest (Title Case keys, see prescription-intake.ts).
import { PRESCRIPTION_STATUSES } from '../model.ts';
import { ingestPrescription } from '../prescription-intake.ts';
import { enumParam, stringParam } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';
import { prescriptionJson } from '../wire-format.ts';
import { listRoute } from './list-route.ts';
import { MANAGER_V2 } from './paths.ts';

export const prescriptionRoutes: RouteDefinition[] = [
  listRoute(`${MANAGER_V2}/prescriptions`, 'prescriptions:read', {
    rows(org, query) {
      const status = enumParam(query, 'status', PRESCRIPTION_STATUSES);
      const shopId = stringParam(query, 'shop_id');
      return org.prescriptions.filter(
        (prescription) =>
          (status === undefined || prescription.status === status) && (shopId === undefined || prescription.shopId === shopId),
      );
    },
    toJson: prescriptionJson,
  }),
  {
    method: 'POST',
    path: `${MANAGER_V2}/prescriptions`,
    auth: { kind: 'jwt', scope: 'prescriptions:write' },
    takesBody: true,
    idempotent: true,
    handle: ({ body, org, services }) => ({ status: 201, body: prescriptionJson(ingestPrescription(services.store, org, body)) }),
  },
];
