// Valid inputs of the graph's write mutations, each text field set, for tests to vary with
// `overrides`: what the gateway must send PharmaOne for them is asserted in test/graph/mutations.test.ts.

/** submitOrderRequest / submitExternalOrder: the seed's §8 telemedicine order plus a second item with a P1 id. */
export const orderInput = (overrides: Record<string, unknown> = {}) => ({
  orgId: 'org1',
  shopId: 'shop1',
  externalReference: 'TM-RX-2026-0042',
  source: 'external-telemedicine',
  shippingOption: 'Abholung',
  customer: {
    name: 'Max Mustermann',
    email: 'max@example.com',
    address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115', phone: '+49123456789' },
  },
  items: [
    { name: 'Cannabis flos 27/1', quantity: 5, unitPrice: '5.10' },
    { name: 'Ibuprofen 400mg 20 St.', quantity: 3, unitPrice: 0.1, p1Id: 'P1-000001' },
  ],
  ...overrides,
});

/** ingestPrescription. */
export const prescriptionInput = (overrides: Record<string, unknown> = {}) => ({
  orgId: 'org1',
  shopId: 'shop1',
  externalReference: 'TM-RX-2026-0099',
  patient: { name: 'Erika Musterfrau', email: 'erika@example.com', dateOfBirth: '1980-01-31' },
  doctorName: 'Dr. Hans Beispiel',
  issuedAt: '2026-06-14',
  items: [{ productName: 'Cannabis flos 27/1', quantity: 10, dosage: '0.5 g twice daily' }],
  ...overrides,
});
