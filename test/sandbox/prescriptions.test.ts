import { describe, expect, it } from 'vitest';
import { manager, ORG2_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';

type RxList = RestSchema<'PrescriptionList'>;
type Invalid = RestSchema<'ValidationError'>;

const ctx = signedInSandbox();

const PRESCRIPTIONS = `${manager()}/prescriptions`;

const INGEST = {
  'Shop ID': 'shop1',
  'External Reference': 'TM-RX-2026-9001',
  'Patient Name': 'Erika Musterfrau',
  'Patient Email': 'erika@example.com',
  'Patient Date Of Birth': '1980-01-31',
  'Doctor Name': 'Dr. med. Anna Schneider',
  'Issued At': '2026-06-14',
  Items: [
    { 'Product Name': 'Cannabis flos 27/1', Quantity: 10, Dosage: '0,1 g bis zu 3x täglich inhalieren' },
    { 'Product Name': 'Dronabinol Tropfen 25 mg/ml 10 ml', Quantity: 1 },
  ],
};

async function all(query: Record<string, string> = {}) {
  const rows: RestSchema<'Prescription'>[] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await ctx.client.get<RxList>(PRESCRIPTIONS, { token: ctx.token, query: { ...query, limit: 100, offset } });
    rows.push(...res.body.data);
    if (offset + 100 >= res.body.pagination.total) return rows;
  }
}

describe('prescription list (§9)', () => {
  it('holds 961 prescriptions in the seed dashboard mix, newest first, about 30 % linked to an order', async () => {
    const rows = await all();

    expect(rows).toHaveLength(961);
    const byStatus = Object.fromEntries(
      ['pending', 'approved', 'completed', 'declined'].map((s) => [s, rows.filter((r) => r.status === s).length]),
    );
    expect(byStatus).toEqual({ pending: 174, approved: 40, completed: 730, declined: 17 });
    const created = rows.map((row) => row.created_at);
    expect(created).toEqual([...created].sort().reverse());
    const linked = rows.filter((row) => row.order_id !== null);
    expect(linked.length / rows.length).toBeGreaterThan(0.25);
    expect(linked.length / rows.length).toBeLessThan(0.35);
    expect(linked.every((row) => row.status === 'approved' || row.status === 'completed')).toBe(true);
  });

  it('links prescriptions to real orders of the same shop', async () => {
    const linked = (await all({ shop_id: 'shop2' })).filter((row) => row.order_id !== null).slice(0, 3);

    for (const prescription of linked) {
      const order = await ctx.client.get<RestSchema<'Order'>>(`${manager()}/orders/${prescription.order_id}`, { token: ctx.token });
      expect(order.status).toBe(200);
      expect(order.body.shop_id).toBe('shop2');
    }
    expect(linked.length).toBeGreaterThan(0);
  });

  it('answers the §9 shape', async () => {
    const res = await ctx.client.get<RxList>(PRESCRIPTIONS, { token: ctx.token, query: { limit: 1 } });

    expect(res.body.pagination).toEqual({ limit: 1, offset: 0, total: 961 });
    expect(res.body.data[0]).toEqual({
      id: expect.stringMatching(/^RX_\d{8}_[A-Za-z0-9]{10}$/),
      shop_id: expect.stringMatching(/^shop[12]$/),
      status: expect.any(String),
      patient_name: expect.any(String),
      patient_email: expect.stringMatching(/@example\.com$/),
      doctor_name: expect.stringMatching(/^Dr\. /),
      external_reference: expect.stringMatching(/^TM-RX-2026-\d{4}$/),
      order_id: null,
      items: [expect.objectContaining({ name: expect.any(String), quantity: expect.any(Number), dosage: expect.any(String) })],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  it('filters by status and shop_id', async () => {
    const pending = await ctx.client.get<RxList>(PRESCRIPTIONS, { token: ctx.token, query: { status: 'pending' } });
    const shop2Declined = await all({ status: 'declined', shop_id: 'shop2' });

    expect(pending.body.pagination.total).toBe(174);
    expect(pending.body.data.every((row) => row.status === 'pending')).toBe(true);
    expect(shop2Declined.every((row) => row.status === 'declined' && row.shop_id === 'shop2')).toBe(true);
  });

  it('rejects an unknown status filter and bad paging with 400', async () => {
    expect((await ctx.client.get(PRESCRIPTIONS, { token: ctx.token, query: { status: 'lost' } })).status).toBe(400);
    expect((await ctx.client.get(PRESCRIPTIONS, { token: ctx.token, query: { limit: 0 } })).status).toBe(400);
  });

  it("keeps org2's prescriptions separate", async () => {
    const res = await ctx.client.get<RxList>(`${manager('org2')}/prescriptions`, { token: await ctx.client.token(ORG2_KEY) });

    expect(res.body.pagination.total).toBe(36);
    expect(res.body.data.every((row) => row.shop_id === 'shop3')).toBe(true);
  });
});

describe('prescription ingest (§10, Title Case keys)', () => {
  it('creates a pending prescription without an order, first in the list', async () => {
    const res = await ctx.client.post<RestSchema<'Prescription'>>(PRESCRIPTIONS, { token: ctx.token, json: INGEST });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^RX_\d{8}_[A-Za-z0-9]{10}$/),
      shop_id: 'shop1',
      status: 'pending',
      patient_name: 'Erika Musterfrau',
      patient_email: 'erika@example.com',
      doctor_name: 'Dr. med. Anna Schneider',
      external_reference: 'TM-RX-2026-9001',
      order_id: null,
      items: [
        { name: 'Cannabis flos 27/1', quantity: 10, dosage: '0,1 g bis zu 3x täglich inhalieren' },
        { name: 'Dronabinol Tropfen 25 mg/ml 10 ml', quantity: 1, dosage: null },
      ],
      created_at: expect.any(String),
      updated_at: res.body.created_at,
    });
    const list = await ctx.client.get<RxList>(PRESCRIPTIONS, { token: ctx.token, query: { limit: 1 } });
    expect(list.body.data[0]).toEqual(res.body);
    expect(list.body.pagination.total).toBe(962);
  });

  it('needs only the required keys; the optional ones come back null', async () => {
    const { 'External Reference': _r, 'Patient Email': _e, 'Patient Date Of Birth': _d, ...required } = INGEST;
    const res = await ctx.client.post(PRESCRIPTIONS, { token: ctx.token, json: required });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ patient_email: null, external_reference: null });
  });

  it('lists every missing required key in one 422, in the body’s own spelling', async () => {
    const res = await ctx.client.post(PRESCRIPTIONS, { token: ctx.token, json: { 'Shop ID': 'shop1' } });

    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'validation_failed',
      message: expect.any(String),
      fields: ['Patient Name', 'Doctor Name', 'Issued At', 'Items'],
    });
  });

  it('names invalid nested items by index', async () => {
    const res = await ctx.client.post<Invalid>(PRESCRIPTIONS, {
      token: ctx.token,
      json: { ...INGEST, Items: [{ 'Product Name': 'Ok', Quantity: 1 }, { Quantity: 0 }, { 'Product Name': 'X', Quantity: '2' }] },
    });

    expect(res.status).toBe(422);
    expect(res.body.fields).toEqual(['Items[1].Product Name', 'Items[1].Quantity', 'Items[2].Quantity']);
  });

  it('does not accept snake_case keys in place of the Title Case ones', async () => {
    const res = await ctx.client.post<Invalid>(PRESCRIPTIONS, {
      token: ctx.token,
      json: { shop_id: 'shop1', patient_name: 'A', doctor_name: 'B', issued_at: '2026-06-14', items: [] },
    });

    expect(res.status).toBe(422);
    expect(res.body.fields).toEqual(['Shop ID', 'Patient Name', 'Doctor Name', 'Issued At', 'Items']);
  });

  it('refuses a shop of another org and malformed dates with 422', async () => {
    const res = await ctx.client.post<Invalid>(PRESCRIPTIONS, {
      token: ctx.token,
      json: { ...INGEST, 'Shop ID': 'shop3', 'Issued At': '14.06.2026', 'Patient Date Of Birth': '1980-02-30' },
    });

    expect(res.status).toBe(422);
    expect(res.body.fields).toEqual(['Shop ID', 'Patient Date Of Birth', 'Issued At']);
  });

  it('counts an ingested prescription as pending on the dashboard', async () => {
    await ctx.client.post(PRESCRIPTIONS, { token: ctx.token, json: INGEST });
    const res = await ctx.client.get<{ data: RestSchema<'DashboardStats'> }>(`${manager()}/reports/dashboard`, { token: ctx.token });

    expect(res.body.data.prescriptions).toEqual({ total: 962, pending: 175, approved: 770, completed: 730, declined: 17 });
  });

  it('replays an ingest under the same Idempotency-Key', async () => {
    const first = await ctx.client.post(PRESCRIPTIONS, { token: ctx.token, json: INGEST, idempotencyKey: 'rx-1' });
    const again = await ctx.client.post(PRESCRIPTIONS, { token: ctx.token, json: INGEST, idempotencyKey: 'rx-1' });

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await ctx.client.get<RxList>(PRESCRIPTIONS, { token: ctx.token })).body.pagination.total).toBe(962);
  });
});
