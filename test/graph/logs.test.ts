// Logs: one structured line per operation, unexpected errors findable by the request id the
// client got, and no personal data or secret anywhere in them, whatever the traffic carried.
import { describe, expect, it } from 'vitest';
import { stackFixture } from '../support/gateway.ts';
import { must } from '../support/must.ts';

const CANARIES = {
  name: 'Canaryname Zyxwvutsrq',
  email: 'canary.zyxw@example.org',
  street: 'Kanarienweg 4711',
  city: 'Kanarienstadt',
  postalCode: '98765',
  phone: '+49 170 9990001',
  dateOfBirth: '1911-11-11',
  doctor: 'Dr. Canary Vogelsang',
  apiKey: 'canary-apikey-5f1c2d3e4a',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJ0cnVlIn0.Q2FuYXJ5U2lnbmF0dXJl',
};

const stack = stackFixture();

describe('structured logs', () => {
  it('write one line per operation with request id, name, duration and upstream calls by route and status', async () => {
    const res = await stack.gql('query ShopNames { org(id: "org1") { shops { name } } }', undefined, {
      headers: { 'x-request-id': 'req-logtest-0001' },
    });

    expect(res.headers['x-request-id']).toBe('req-logtest-0001');
    const line = stack.logs.find((entry) => entry.requestId === 'req-logtest-0001' && entry.msg === 'graphql operation');
    expect(line).toMatchObject({
      level: 30,
      operationName: 'ShopNames',
      operationType: 'query',
      callerMode: 'PASS_THROUGH',
      durationMs: expect.any(Number),
      httpStatus: 200,
      errorCodes: [],
      upstreamCalls: 2,
      upstream: { 'POST /auth/token 200': 1, 'GET /shops 200': 1 },
    });
  });

  it('log an unexpected error with the request id the client sees in the masked error', async () => {
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 418, times: 1 }]);
    const res = await stack.gql('{ org(id: "org1") { shops { id } } }');

    const error = must(res.body.errors?.[0], 'an error');
    expect(error.message).toBe('Unexpected answer from PharmaOne.');
    expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId: res.headers['x-request-id'] });
    const logged = stack.logs.find((entry) => entry.msg === 'unexpected error' && entry.requestId === res.headers['x-request-id']);
    expect(logged).toMatchObject({ level: 50, err: { name: 'UpstreamStatusError', message: 'PharmaOne answered 418 to GET /shops' } });
  });

  it('never contain personal data or secrets from requests, variables, errors or upstream answers', async () => {
    const customer = {
      name: CANARIES.name,
      email: CANARIES.email,
      address: { street: CANARIES.street, city: CANARIES.city, postalCode: CANARIES.postalCode, phone: CANARIES.phone },
    };
    const order = { orgId: 'org1', shopId: 'shop1', customer, items: [{ name: 'Canary tea', quantity: 1, unitPrice: '1.00' }] };
    const patient = { name: CANARIES.name, email: CANARIES.email, dateOfBirth: CANARIES.dateOfBirth };
    const rx = {
      orgId: 'org1',
      shopId: 'shop1',
      patient,
      doctorName: CANARIES.doctor,
      issuedAt: '2026-06-14',
      items: [{ productName: 'Canary drops', quantity: 1 }],
    };
    const SUBMIT =
      'mutation S($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { order { customerName customerEmail shippingAddress { street } } userErrors { message } } }';
    const INGEST =
      'mutation P($i: IngestPrescriptionInput!) { ingestPrescription(input: $i) { prescription { patientName patientEmail } userErrors { message } } }';

    await stack.gql(SUBMIT, { i: order });
    await stack.gql(INGEST, { i: rx });
    await stack.gql(SUBMIT, { i: { ...order, customer: { ...customer, email: `not-an-email ${CANARIES.name}` } } });
    await stack.gql(INGEST, { i: { ...rx, patient: { ...patient, dateOfBirth: 'not-a-date' } } });
    await stack.gql('{ org(id: "org1") { orders(first: 3) { nodes { customerName customerEmail shippingAddress { street phone } } } } }');
    await stack.gql(`{ org(id: "org1") { order(id: "${CANARIES.email}") { id } } }`);
    await stack.gql('{ org(id: "org1") { shops { id } } }', undefined, { apikey: CANARIES.apiKey });
    await stack.gql('{ viewer { mode } }', undefined, {
      headers: { authorization: `Bearer ${CANARIES.jwt}`, 'x-request-id': CANARIES.email },
    });
    await stack.gql(`{ org(id: "org1") { viewr(x: "${CANARIES.name}") } }`);
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders/{id}', errorRate: 1, errorStatus: 500, times: 2 }]);
    await stack.gql('{ org(id: "org1") { orders(first: 2) { nodes { customerEmail } } } }');

    const text = stack.logText();
    expect(stack.logs.length).toBeGreaterThan(8);
    for (const [what, canary] of Object.entries(CANARIES)) {
      expect(text.includes(canary), `${what} leaked into the logs`).toBe(false);
    }
    // The seeded customers the queries read back must not be logged either.
    expect(text).not.toMatch(/@example\.com|Mustermann|Musterstr/);
  });
});
