// The client's methods are derived from the route table (src/upstream/pharmaone-client.ts): one
// per route, named by its operationId. Each is called here against the sandbox, whose call log
// names the route it served by its own OpenAPI template, so a method that reached another route,
// built its path from the wrong values or lost its query would show in what the sandbox saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createGatewayMetrics } from '../../src/observability/metrics.ts';
import { createTracing } from '../../src/observability/tracing.ts';
import type { UpstreamHttp } from '../../src/upstream/http.ts';
import { createPharmaOneClient, createTokenExchange } from '../../src/upstream/pharmaone-client.ts';
import type { PharmaOneClient, UpstreamCallRecord } from '../../src/upstream/pharmaone-client.ts';
import { ROUTE_BY_OPERATION, ROUTES } from '../../src/upstream/routes.ts';
import type { OperationId, RouteKey } from '../../src/upstream/routes.ts';
import { createTokenBroker } from '../../src/upstream/token-broker.ts';
import { createUpstreamStack } from '../../src/upstream/upstream-stack.ts';
import { ORG1_KEY, sandboxFixture } from '../support/sandbox.ts';
import { seedSample } from '../support/seed-samples.ts';

const ctx = sandboxFixture();
let http: UpstreamHttp;
let broker: ReturnType<typeof createTokenBroker>;

// The gateway's own upstream stack: the layers that report each attempt to the request's trace.
beforeAll(async () => {
  const config = loadConfig({ PHARMAONE_SANDBOX: 'true' });
  const metrics = createGatewayMetrics({ maxOperationNames: 10 });
  http = createUpstreamStack(config, { metrics, tracing: await createTracing(config.tracing) });
  broker = createTokenBroker({ exchange: createTokenExchange(http), refreshMarginMs: 0, maxEntries: 10 });
});
afterAll(() => http.close());

/** Seed ids the calls below need, found before the calls so that each makes one request. */
const ids = { order: '', pending: '' };
beforeAll(async () => {
  const c = client([]);
  ids.order = (await c.listOrders('org1', { limit: 1, offset: 0 })).data[0]?.id ?? '';
  ids.pending = (await c.listOrders('org1', { limit: 1, offset: 0, status: 'pending' })).data[0]?.id ?? '';
  expect(ids.order && ids.pending).toBeTruthy();
});

function client(trace: UpstreamCallRecord[]): PharmaOneClient {
  return createPharmaOneClient({
    deps: { http, broker, baseUrl: ctx.sandbox.url, shopUrlTemplate: ctx.sandbox.shopUrlTemplate },
    credentials: { credentialFor: () => ORG1_KEY },
    trace,
  });
}

const order = () => seedSample<{ payload: unknown }>('08-external-order-body.json');

interface Call {
  call: (c: PharmaOneClient) => Promise<unknown>;
  /** The path values the sandbox must see as segments, besides the org. */
  values: () => string[];
  /** The query the sandbox must see. */
  query: Record<string, string>;
}

const read = (call: Call['call'], query: Record<string, string> = {}, values: () => string[] = () => []): Call => ({ call, values, query });
const write = (call: Call['call'], values: () => string[] = () => []): Call => ({ call, values, query: {} });

/** One call per client method, each one upstream request (and maybe a token exchange). */
const CALLS: Record<Exclude<OperationId, 'exchangeToken'>, Call> = {
  listShops: read((c) => c.listShops('org1')),
  listOrders: read((c) => c.listOrders('org1', { limit: 2, offset: 1, shop_id: 'shop1' }), { limit: '2', offset: '1', shop_id: 'shop1' }),
  getOrder: read(
    (c) => c.getOrder('org1', ids.order),
    {},
    () => [ids.order],
  ),
  updateOrderStatus: write(
    (c) => c.updateOrderStatus({ orgId: 'org1', params: { id: ids.pending }, body: { status: 'cancelled' }, idempotencyKey: 'k-1' }),
    () => [ids.pending],
  ),
  createOrderRequest: write((c) =>
    c.createOrderRequest({ orgId: 'org1', body: { shop_id: 'shop1', ...order() } as never, idempotencyKey: 'k-2' }),
  ),
  createOrderRequestV1: write((c) => c.createOrderRequestV1({ orgId: 'org1', body: { shop_id: 'shop1', ...order() } as never })),
  submitExternalOrder: write(
    (c) => c.submitExternalOrder({ orgId: 'org1', params: { shopId: 'shop2' }, body: order() as never }),
    () => ['shop2'],
  ),
  listPrescriptions: read((c) => c.listPrescriptions('org1', { limit: 3, offset: 0 }), { limit: '3', offset: '0' }),
  ingestPrescription: write((c) =>
    c.ingestPrescription({
      orgId: 'org1',
      body: {
        'Shop ID': 'shop1',
        'Patient Name': 'Erika Musterfrau',
        'Doctor Name': 'Dr. Beispiel',
        'Issued At': '2026-06-14',
        Items: [{ 'Product Name': 'Cannabis flos 27/1', Quantity: 1 }],
      },
    }),
  ),
  listInventory: read((c) => c.listInventory('org1', { limit: 5, offset: 0, shop_id: 'shop1' }), {
    limit: '5',
    offset: '0',
    shop_id: 'shop1',
  }),
  listProducts: read((c) => c.listProducts('org1', { limit: 5, offset: 0, shop_id: 'shop2' }), {
    limit: '5',
    offset: '0',
    shop_id: 'shop2',
  }),
  getDashboardStats: read((c) => c.getDashboardStats('org1')),
  getProductPerformance: read((c) => c.getProductPerformance('org1', { limit: 4 }), { limit: '4' }),
};

describe('the client derived from the route table', () => {
  it('has one method per route but the token exchange, named by its operationId, and nothing else', () => {
    const methods = Object.keys(client([])).filter((name) => name !== 'token' && name !== 'heldTokens');
    const operations = (Object.keys(ROUTES) as RouteKey[]).map((key) => ROUTES[key].operation).filter((op) => op !== 'exchangeToken');
    expect(methods.sort()).toEqual(operations.sort());
    expect(Object.keys(CALLS).sort()).toEqual(operations.sort());
  });

  it.each(Object.entries(CALLS))(
    '%s reaches its route, with the path values and query it was given',
    async (operation, { call, values, query }) => {
      const route = ROUTE_BY_OPERATION[operation as OperationId];
      const trace: UpstreamCallRecord[] = [];
      ctx.sandbox.calls.clear();
      await call(client(trace));

      // The first request after any token exchange (the shop proxy's own forwarding comes after it).
      const served = ctx.sandbox.calls.list().find((entry) => entry.route !== ROUTE_BY_OPERATION.exchangeToken);
      // The sandbox names the route it served by its OpenAPI template: the table's key for the method
      // (a shop's host is the sandbox's /shops/{shopId}, its PHARMAONE_SHOP_URL_TEMPLATE).
      const template = ROUTES[route].host === 'shop' ? route.replace(' ', ' /shops/{shopId}') : route;
      expect(served).toMatchObject({ route: template, org: 'org1', query });
      expect(served?.status).toBeLessThan(300);
      const segments = served?.path.split('/') ?? [];
      expect(values().filter((value) => !segments.includes(value))).toEqual([]);
      // What the gateway recorded: one call, under the entry's label, to the path the sandbox saw.
      const calls = trace.filter((record) => record.route !== ROUTES[ROUTE_BY_OPERATION.exchangeToken].label);
      expect(calls).toMatchObject([{ method: route.split(' ')[0], route: ROUTES[route].label, status: served?.status }]);
      expect(new URL(calls[0]?.path ?? '', 'http://x').pathname.endsWith(served?.path ?? '-')).toBe(true);
    },
  );

  it('sends the idempotency key a write is given, and the org it names', async () => {
    ctx.sandbox.calls.clear();
    await CALLS.createOrderRequest.call(client([]));
    const [write] = ctx.sandbox.calls.list({ route: ROUTE_BY_OPERATION.createOrderRequest });
    expect([write?.idempotencyKey, write?.org, write?.authKind]).toEqual(['k-2', 'org1', 'jwt']);
  });
});
