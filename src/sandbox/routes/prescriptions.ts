// §9 list and §10 ingest (Title Case keys, see prescription-intake.ts).
import { PRESCRIPTION_STATUSES } from '../model.ts';
import { ingestPrescription } from '../prescription-intake.ts';
import { enumParam, pageParams, paginated, stringParam } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';
import { prescriptionJson } from '../wire-format.ts';
import { MANAGER_V2 } from './paths.ts';

export const prescriptionRoutes: RouteDefinition[] = [
  {
    method: 'GET',
    path: `${MANAGER_V2}/prescriptions`,
    auth: { kind: 'jwt', scope: 'prescriptions:read' },
    handle: ({ org, query }) => {
      const page = pageParams(query);
      const status = enumParam(query, 'status', PRESCRIPTION_STATUSES);
      const shopId = stringParam(query, 'shop_id');
      const rows = org.prescriptions.filter(
        (prescription) =>
          (status === undefined || prescription.status === status) && (shopId === undefined || prescription.shopId === shopId),
      );
      return { status: 200, body: paginated(rows, page, prescriptionJson) };
    },
  },
  {
    method: 'POST',
    path: `${MANAGER_V2}/prescriptions`,
    auth: { kind: 'jwt', scope: 'prescriptions:write' },
    takesBody: true,
    idempotent: true,
    handle: ({ body, org, services }) => ({ status: 201, body: prescriptionJson(ingestPrescription(services.store, org, body)) }),
  },
];
