import { describe, expect, it } from 'vitest';
import { manager, ORG1_KEY, ORG2_KEY, type RestSchema, signedInSandbox } from '../support/sandbox.ts';
import { seedSample } from '../support/seed-samples.ts';

type OrderList = RestSchema<'OrderList'>;
type Order = RestSchema<'Order'>;
type OrderRequest = RestSchema<'OrderRequest'>;
type ErrorBody = RestSchema<'Error'>;
type ValidationError = RestSchema<'ValidationError'>;

const ctx = signedInSandbox();

const V2 = `${manager()}/order-requests`;
const V1 = '/api/v1/public/orgs/org1/order-requests';
const SHOP1 = '/shops/shop1/api/v1/external-order';

// The seed's §8 body.
const TELEMEDICINE_ORDER = seedSample<RestSchema<'ExternalOrderBody'>>('08-external-order-body.json');

const orderRequest = (shopId = 'shop1') => ({ shop_id: shopId, ...TELEMEDICINE_ORDER });

function expectReceived(body: unknown, shopId = 'shop1') {
  expect(body).toEqual({
    id: expect.stringMatching(/^REQ_\d{8}_[A-Za-z0-9]{10}$/),
    status: 'received',
    order_id: expect.stringMatching(/^ORD_\d{8}_[A-Za-z0-9]{10}$/),
    shop_id: shopId,
    created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
  });
}

describe('order requests (§6, v2 + JWT)', () => {
  it('creates a pending, unpaid order that the list shows first and the detail shows in full', async () => {
    const res = await ctx.client.post<OrderRequest>(V2, { token: ctx.token, json: orderRequest() });

    expect(res.status).toBe(201);
    expectReceived(res.body);
    const list = await ctx.client.get<OrderList>(`${manager()}/orders`, { token: ctx.token, query: { limit: 1 } });
    expect(list.body.pagination.total).toBe(732);
    expect(list.body.data[0]).toEqual({
      id: res.body.order_id,
      shop_id: 'shop1',
      customer_name: 'Max Mustermann',
      status: 'pending',
      payment_status: 'pending',
      total_amount: 25.5,
      created_at: res.body.created_at,
      updated_at: res.body.created_at,
    });
    const detail = await ctx.client.get<Order>(`${manager()}/orders/${res.body.order_id}`, { token: ctx.token });
    expect(detail.body).toMatchObject({
      customer_email: 'max@example.com',
      items: [{ name: 'Cannabis flos 27/1', quantity: 5, price: 5.1, p1_id: '' }],
      shipping_address: { street: 'Musterstr. 1', city: 'Berlin', postal_code: '10115', phone: '+49123456789' },
    });
  });

  it('computes a missing total_amount from the items in exact cents (11 × 8.75 = 96.25)', async () => {
    const payload = {
      customer_name: 'Erika Musterfrau',
      customer_email: 'erika@example.com',
      items: [
        { name: '24/1 IUVO KC OJ Zainbow', quantity: 11, price: 8.75 },
        { name: 'Cannabis flos 27/1', quantity: 3, price: 0.1, p1_id: 'P1-000101' },
      ],
    };
    const res = await ctx.client.post<OrderRequest>(V2, { token: ctx.token, json: { shop_id: 'shop2', payload } });

    const detail = await ctx.client.get<Order>(`${manager()}/orders/${res.body.order_id}`, { token: ctx.token });
    expect(detail.body.total_amount).toBe(96.55);
    expect(detail.body.shop_id).toBe('shop2');
    // No address given: no shipping address.
    expect(detail.body.shipping_address).toBeNull();
  });

  it('answers a missing shop_id with 400', async () => {
    const { shop_id: _omitted, ...body } = orderRequest();
    const res = await ctx.client.post(V2, { token: ctx.token, json: body });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'bad_request', message: 'shop_id is required' });
  });

  it('refuses a shop of another org with 422 naming shop_id', async () => {
    const res = await ctx.client.post(V2, { token: ctx.token, json: orderRequest('shop3') });

    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'validation_failed', message: expect.any(String), fields: ['shop_id'] });
  });

  it('lists every invalid payload field in one 422', async () => {
    const payload = {
      customer_email: 7,
      total_amount: -1,
      items: [{ name: '', quantity: 0, price: -2 }, { name: 'Ok', quantity: 1.5, price: 1.005 }, 'nonsense'],
    };
    const res = await ctx.client.post<ValidationError>(V2, { token: ctx.token, json: { shop_id: 'shop1', payload } });

    expect(res.status).toBe(422);
    expect(res.body.fields).toEqual([
      'payload.customer_name',
      'payload.customer_email',
      'payload.items[0].name',
      'payload.items[0].quantity',
      'payload.items[0].price',
      'payload.items[1].quantity',
      'payload.items[1].price',
      'payload.items[2]',
      'payload.total_amount',
    ]);
    expect((await ctx.client.get<OrderList>(`${manager()}/orders`, { token: ctx.token, query: { limit: 1 } })).body.pagination.total).toBe(
      731,
    );
  });

  it.each([
    ['no items', { customer_name: 'A', customer_email: 'a@example.com', items: [] }, ['payload.items']],
    ['no payload', undefined, ['payload']],
  ])('refuses %s with 422', async (_case, payload, fields) => {
    const res = await ctx.client.post<ValidationError>(V2, { token: ctx.token, json: { shop_id: 'shop1', payload } });

    expect(res.status).toBe(422);
    expect(res.body.fields).toEqual(fields);
  });
});

describe('order requests (§7, v1 + API key behind Kong)', () => {
  it('creates an order like §6, authenticated by the apikey header alone', async () => {
    const res = await ctx.client.post<OrderRequest>(V1, { apikey: ORG1_KEY, json: orderRequest('shop2') });

    expect(res.status).toBe(201);
    expectReceived(res.body, 'shop2');
    expect((await ctx.client.get<Order>(`${manager()}/orders/${res.body.order_id}`, { token: ctx.token })).body.status).toBe('pending');
  });

  it("answers a missing key with Kong's exact 401 body", async () => {
    const res = await ctx.client.post(V1, { json: orderRequest() });

    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ message: 'No API key found in request' });
  });

  it.each([
    ['an unknown key', 'wrong-key'],
    ["another org's key", ORG2_KEY],
  ])("answers %s with Kong's exact 401 body", async (_case, apikey) => {
    const res = await ctx.client.post(V1, { apikey, json: orderRequest() });

    expect(res.status).toBe(401);
    expect(res.body).toStrictEqual({ message: 'Invalid authentication credentials' });
  });

  it('ignores a bearer token: Kong wants the key', async () => {
    const res = await ctx.client.post(V1, { token: ctx.token, json: orderRequest() });

    expect(res.body).toStrictEqual({ message: 'No API key found in request' });
  });

  it('answers a missing shop_id with 400', async () => {
    const res = await ctx.client.post<ErrorBody>(V1, { apikey: ORG1_KEY, json: TELEMEDICINE_ORDER });

    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
  });
});

describe('shop proxy (§8)', () => {
  it("injects the shop's id, forwards to Manager §7 over HTTP and relays its answer; both hops are logged", async () => {
    ctx.sandbox.calls.clear();
    const res = await ctx.client.post(SHOP1, { apikey: ORG1_KEY, json: TELEMEDICINE_ORDER });

    expect(res.status).toBe(201);
    expectReceived(res.body, 'shop1');
    const calls = ctx.sandbox.calls.list();
    expect(
      calls.map(({ seq, method, path, route, authKind, apikeyLabel, org, status }) => ({
        seq,
        method,
        path,
        route,
        authKind,
        apikeyLabel,
        org,
        status,
      })),
    ).toEqual([
      {
        seq: 1,
        method: 'POST',
        path: '/shops/shop1/api/v1/external-order',
        route: 'POST /shops/{shopId}/api/v1/external-order',
        authKind: 'apikey',
        apikeyLabel: 'org1-key',
        org: 'org1',
        status: 201,
      },
      {
        seq: 2,
        method: 'POST',
        path: '/api/v1/public/orgs/org1/order-requests',
        route: 'POST /api/v1/public/orgs/{org}/order-requests',
        authKind: 'apikey',
        apikeyLabel: 'org1-key',
        org: 'org1',
        status: 201,
      },
    ]);
    expect(calls[0]?.body).toEqual(TELEMEDICINE_ORDER);
    expect(calls[1]?.body).toEqual({ shop_id: 'shop1', ...TELEMEDICINE_ORDER });
  });

  it("overrides a shop_id in the body with the shop's own", async () => {
    const res = await ctx.client.post<OrderRequest>('/shops/shop2/api/v1/external-order', {
      apikey: ORG1_KEY,
      json: { ...TELEMEDICINE_ORDER, shop_id: 'shop1' },
    });

    expect(res.body.shop_id).toBe('shop2');
  });

  it("accepts the seed's smoke-test body (payload only)", async () => {
    const payload = { customer_name: 'Max Mustermann', customer_email: 'max@example.com', items: [{ name: 'X', quantity: 1, price: 1 }] };
    const res = await ctx.client.post(SHOP1, { apikey: ORG1_KEY, json: { payload } });

    expect(res.status).toBe(201);
  });

  it("relays Kong's 401s and Manager's 422 unchanged", async () => {
    const noKey = await ctx.client.post(SHOP1, { json: TELEMEDICINE_ORDER });
    const foreignKey = await ctx.client.post(SHOP1, { apikey: ORG2_KEY, json: TELEMEDICINE_ORDER });
    const invalid = await ctx.client.post<ValidationError>(SHOP1, { apikey: ORG1_KEY, json: { payload: { customer_name: 'X' } } });

    expect(noKey.body).toStrictEqual({ message: 'No API key found in request' });
    expect(foreignKey.body).toStrictEqual({ message: 'Invalid authentication credentials' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.fields).toEqual(['payload.customer_email', 'payload.items']);
  });

  it('serves org2 through shop3 with the org2 key', async () => {
    const res = await ctx.client.post<OrderRequest>('/shops/shop3/api/v1/external-order', { apikey: ORG2_KEY, json: TELEMEDICINE_ORDER });

    expect(res.status).toBe(201);
    expect(res.body.shop_id).toBe('shop3');
  });

  it('answers an unknown shop with 404 (an unknown host; the contract has no shop-host 404)', async () => {
    const res = await ctx.client.post<ErrorBody>('/shops/shop9/api/v1/external-order', { apikey: ORG1_KEY, json: TELEMEDICINE_ORDER });

    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });
});

describe('Idempotency-Key on order requests', () => {
  it('replays the first result for the same key and body and creates nothing new', async () => {
    const first = await ctx.client.post(V2, { token: ctx.token, json: orderRequest(), idempotencyKey: 'req-1' });
    const again = await ctx.client.post(V2, { token: ctx.token, json: orderRequest(), idempotencyKey: 'req-1' });

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await ctx.client.get<OrderList>(`${manager()}/orders`, { token: ctx.token })).body.pagination.total).toBe(732);
  });

  it('treats a reordered but equal body as the same request', async () => {
    const first = await ctx.client.post(V2, { token: ctx.token, json: orderRequest(), idempotencyKey: 'req-2' });
    const { payload, ...rest } = orderRequest();
    const again = await ctx.client.post(V2, { token: ctx.token, json: { payload, ...rest }, idempotencyKey: 'req-2' });

    expect(again.body).toEqual(first.body);
  });

  it('refuses the same key with a different body with 422 idempotency_key_reused', async () => {
    await ctx.client.post(V2, { token: ctx.token, json: orderRequest(), idempotencyKey: 'req-3' });
    const res = await ctx.client.post(V2, { token: ctx.token, json: orderRequest('shop2'), idempotencyKey: 'req-3' });

    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'idempotency_key_reused', message: expect.any(String), fields: ['Idempotency-Key'] });
  });

  it('is forwarded by the shop proxy, so a retried external order is created once', async () => {
    const first = await ctx.client.post(SHOP1, { apikey: ORG1_KEY, json: TELEMEDICINE_ORDER, idempotencyKey: 'ext-1' });
    const again = await ctx.client.post(SHOP1, { apikey: ORG1_KEY, json: TELEMEDICINE_ORDER, idempotencyKey: 'ext-1' });

    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(ctx.sandbox.calls.list({ route: 'POST /api/v1/public/orgs/{org}/order-requests' }).map((call) => call.idempotencyKey)).toEqual([
      'ext-1',
      'ext-1',
    ]);
    expect((await ctx.client.get<OrderList>(`${manager()}/orders`, { token: ctx.token })).body.pagination.total).toBe(732);
  });

  it('keeps keys apart per org', async () => {
    const org1 = await ctx.client.post<OrderRequest>(V1, { apikey: ORG1_KEY, json: orderRequest(), idempotencyKey: 'shared' });
    const org2 = await ctx.client.post<OrderRequest>('/api/v1/public/orgs/org2/order-requests', {
      apikey: ORG2_KEY,
      json: orderRequest('shop3'),
      idempotencyKey: 'shared',
    });

    expect(org1.status).toBe(201);
    expect(org2.status).toBe(201);
    expect(org2.body.order_id).not.toBe(org1.body.order_id);
  });
});
