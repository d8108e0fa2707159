// Resolver parents of the prescription module (codegen `mappers`, see codegen.ts): PharmaOne REST
// objects as they arrive, plus the org they were read from.
import type { ConnectionParent, InOrg } from '../../graphql/parents.ts';
import type { RestPrescription, RestPrescriptionItem } from '../../upstream/rest-types.ts';

/** A row of GET /prescriptions, items included. */
export type PrescriptionParent = InOrg<RestPrescription>;

/** A prescription's item as sent. */
export type PrescriptionItemParent = RestPrescriptionItem;

export type PrescriptionConnectionParent = ConnectionParent<PrescriptionParent>;
