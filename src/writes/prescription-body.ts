// The one place where the camelCase prescription input meets PharmaOne's Title Case ingest keys
// (§10), in both directions: building the body, and mapping a 422's `fields` back to input paths.
import type { RestPrescriptionIngest } from '../upstream/rest-types.ts';
import type { ValidPrescription } from './validate-input.ts';

const KEYS = {
  shopId: 'Shop ID',
  externalReference: 'External Reference',
  patientName: 'Patient Name',
  patientEmail: 'Patient Email',
  patientDateOfBirth: 'Patient Date Of Birth',
  doctorName: 'Doctor Name',
  issuedAt: 'Issued At',
  items: 'Items',
  itemProductName: 'Product Name',
  itemQuantity: 'Quantity',
  itemDosage: 'Dosage',
} as const;

export function prescriptionIngestBody(rx: ValidPrescription): RestPrescriptionIngest {
  return {
    [KEYS.shopId]: rx.shopId,
    ...(rx.externalReference !== undefined && { [KEYS.externalReference]: rx.externalReference }),
    [KEYS.patientName]: rx.patient.name,
    ...(rx.patient.email !== undefined && { [KEYS.patientEmail]: rx.patient.email }),
    ...(rx.patient.dateOfBirth !== undefined && { [KEYS.patientDateOfBirth]: rx.patient.dateOfBirth }),
    [KEYS.doctorName]: rx.doctorName,
    [KEYS.issuedAt]: rx.issuedAt,
    [KEYS.items]: rx.items.map((item) => ({
      [KEYS.itemProductName]: item.productName,
      [KEYS.itemQuantity]: item.quantity,
      ...(item.dosage !== undefined && { [KEYS.itemDosage]: item.dosage }),
    })),
  };
}

const FIELD_PATHS: Record<string, string[]> = {
  [KEYS.shopId]: ['shopId'],
  [KEYS.externalReference]: ['externalReference'],
  [KEYS.patientName]: ['patient', 'name'],
  [KEYS.patientEmail]: ['patient', 'email'],
  [KEYS.patientDateOfBirth]: ['patient', 'dateOfBirth'],
  [KEYS.doctorName]: ['doctorName'],
  [KEYS.issuedAt]: ['issuedAt'],
  [KEYS.items]: ['items'],
  'Idempotency-Key': ['idempotencyKey'],
};
const ITEM_FIELDS: Record<string, string> = {
  [KEYS.itemProductName]: 'productName',
  [KEYS.itemQuantity]: 'quantity',
  [KEYS.itemDosage]: 'dosage',
};

/** PharmaOne's field name in a 422 (`Items[0].Product Name`) → the input path (`input.items.0.productName`). */
export function prescriptionInputPath(upstreamField: string): string[] | null {
  const item = /^Items\[(\d+)\]\.(.+)$/.exec(upstreamField);
  if (item) return ['input', 'items', item[1] ?? '', ...[ITEM_FIELDS[item[2] ?? '']].filter((field) => field !== undefined)];
  const path = FIELD_PATHS[upstreamField];
  return path ? ['input', ...path] : null;
}
