// §10: prescriptions arrive with Title Case keys, spelled exactly as below (seed: "Uses Title
// Case keys"; the key set is assumed, DESIGN.md §1). Missing or mistyped keys give 422 listing
// them in the body's own spelling, e.g. ["Patient Name", "Items[0].Quantity"].
import { FieldErrors, isIsoDate, isObject, optionalString, positiveInteger, requiredString } from './body-fields.ts';
import { ReplyError, validationFailed } from './errors.ts';
import type { OrgData, Prescription, PrescriptionItem } from './model.ts';
import type { JsonObject } from './route-types.ts';
import type { Store } from './store.ts';

export function ingestPrescription(store: Store, org: OrgData, body: JsonObject): Prescription {
  const errors = new FieldErrors();
  const shopId = requiredString(body, 'Shop ID', 'Shop ID', errors);
  if (shopId !== '' && !org.shops.some((shop) => shop.id === shopId)) errors.add('Shop ID');
  const externalReference = optionalString(body, 'External Reference', 'External Reference', errors);
  const patientName = requiredString(body, 'Patient Name', 'Patient Name', errors);
  const patientEmail = optionalString(body, 'Patient Email', 'Patient Email', errors);
  const dateOfBirth = optionalString(body, 'Patient Date Of Birth', 'Patient Date Of Birth', errors);
  if (dateOfBirth !== null && !isIsoDate(dateOfBirth)) errors.add('Patient Date Of Birth');
  const doctorName = requiredString(body, 'Doctor Name', 'Doctor Name', errors);
  const issuedAt = body['Issued At'];
  if (!isIsoDate(issuedAt)) errors.add('Issued At');
  const items = parseItems(body.Items, errors);
  if (errors.any) throw new ReplyError(validationFailed(errors.fields));

  const createdAt = store.stamp();
  const prescription: Prescription = {
    id: store.newId('RX', createdAt),
    shopId,
    status: 'pending',
    patientName,
    patientEmail,
    patientDateOfBirth: dateOfBirth,
    doctorName,
    issuedAt: issuedAt as string,
    externalReference,
    orderId: null,
    items,
    createdAt,
    updatedAt: createdAt,
  };
  store.addPrescription(org, prescription);
  return prescription;
}

function parseItems(value: unknown, errors: FieldErrors): PrescriptionItem[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add('Items');
    return [];
  }
  return value.map((item: unknown, index) => {
    const at = `Items[${index}]`;
    if (!isObject(item)) {
      errors.add(at);
      return { name: '', quantity: 0, dosage: null };
    }
    return {
      name: requiredString(item, 'Product Name', `${at}.Product Name`, errors),
      quantity: positiveInteger(item, 'Quantity', `${at}.Quantity`, errors),
      dosage: optionalString(item, 'Dosage', `${at}.Dosage`, errors),
    };
  });
}
