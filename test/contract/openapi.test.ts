// Structural checks on schema/pharmaone.openapi.yaml: they fail when an edit drops a section of
// DESIGN.md §1, an auth or error response, or the line between what the vendor showed and what we assumed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { listOperations } from '../support/contract.ts';

type Json = Record<string, unknown>;

const doc = parse(readFileSync(new URL('../../schema/pharmaone.openapi.yaml', import.meta.url), 'utf8')) as Json;
const V2 = '/api/v2/public/orgs/{org}';

// DESIGN.md §1, row by row: section, method, path, operationId, credential, scope.
const SECTIONS = [
  ['§1', 'POST', `${V2}/auth/token`, 'exchangeToken', 'apikey', undefined],
  ['§2', 'GET', `${V2}/shops`, 'listShops', 'bearerJwt', 'shops:read'],
  ['§3', 'GET', `${V2}/orders`, 'listOrders', 'bearerJwt', 'orders:read'],
  ['§4', 'GET', `${V2}/orders/{id}`, 'getOrder', 'bearerJwt', 'orders:read'],
  ['§5', 'PATCH', `${V2}/orders/{id}/status`, 'updateOrderStatus', 'bearerJwt', 'orders:write'],
  ['§6', 'POST', `${V2}/order-requests`, 'createOrderRequest', 'bearerJwt', 'orders:write'],
  ['§7', 'POST', '/api/v1/public/orgs/{org}/order-requests', 'createOrderRequestV1', 'apikey', 'orders:write'],
  ['§8', 'POST', '/api/v1/external-order', 'submitExternalOrder', 'apikey', 'orders:write'],
  ['§9', 'GET', `${V2}/prescriptions`, 'listPrescriptions', 'bearerJwt', 'prescriptions:read'],
  ['§10', 'POST', `${V2}/prescriptions`, 'ingestPrescription', 'bearerJwt', 'prescriptions:write'],
  ['§11', 'GET', `${V2}/inventory`, 'listInventory', 'bearerJwt', 'inventory:read'],
  ['§12', 'GET', `${V2}/products`, 'listProducts', 'bearerJwt', 'products:read'],
  ['§13', 'GET', `${V2}/reports/dashboard`, 'getDashboardStats', 'bearerJwt', 'reports:read'],
  ['§14', 'GET', `${V2}/reports/product-performance`, 'getProductPerformance', 'bearerJwt', 'reports:read'],
] as const;

// What the vendor's examples page shows (see /work/shared/seed); everything else must say x-assumed.
const SEED_PATHS = [`${V2}/auth/token`, `${V2}/shops`, '/api/v1/public/orgs/{org}/order-requests', '/api/v1/external-order'];
const SEED_OPERATIONS = [
  'exchangeToken',
  'listShops',
  'listOrders',
  'getOrder',
  'createOrderRequestV1',
  'submitExternalOrder',
  'listProducts',
  'getDashboardStats',
];
const SEED_RESPONSES = ['exchangeToken 200', 'listOrders 200', 'getOrder 200', 'getDashboardStats 200'];
const SEED_PARAMETERS = ['path org', 'listProducts query shop_id'];
const SEED_REQUEST_BODIES = ['submitExternalOrder'];
const SEED_SCHEMAS = [
  'TokenResponse',
  'TokenClaims',
  'Pagination',
  'OrderSummary',
  'OrderList',
  'Order',
  'OrderItem',
  'ShippingAddress',
  'OrderPayload',
  'OrderPayloadItem',
  'ExternalOrderBody',
  'DashboardStats',
  'DashboardPrescriptionCounts',
  'ShopPerformance',
  'MonthlyTrend',
];
// The component names the gateway's code refers to.
const REQUIRED_SCHEMAS = [
  'TokenResponse',
  'Shop',
  'ShopList',
  'Pagination',
  'OrderSummary',
  'OrderList',
  'Order',
  'OrderItem',
  'ShippingAddress',
  'OrderStatusUpdate',
  'OrderRequestBody',
  'OrderPayload',
  'OrderPayloadItem',
  'ExternalOrderBody',
  'OrderRequest',
  'Prescription',
  'PrescriptionItem',
  'PrescriptionList',
  'PrescriptionIngest',
  'PrescriptionIngestItem',
  'InventoryItem',
  'InventoryList',
  'Product',
  'ProductList',
  'DashboardStats',
  'DashboardPrescriptionCounts',
  'ShopPerformance',
  'MonthlyTrend',
  'ProductPerformance',
  'ProductPerformanceList',
  'Error',
  'ValidationError',
  'ScopeError',
  'KongError',
];

function deref(value: unknown): Json {
  let current = value as Json;
  while (typeof current.$ref === 'string') {
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json)[key.replaceAll('~1', '/').replaceAll('~0', '~')], doc) as Json;
  }
  return current;
}

const paths = doc.paths as Record<string, Json>;
const components = doc.components as Record<string, Record<string, Json>>;
const schemas = components.schemas as Record<string, Json>;

interface Operation {
  id: string;
  method: string;
  path: string;
  pathItem: Json;
  op: Json;
  responses: Record<string, Json>;
  parameters: Json[];
}

const operations: Operation[] = listOperations().map(({ method, path, operationId }) => {
  const pathItem = paths[path] as Json;
  const op = pathItem[method.toLowerCase()] as Json;
  const responses = Object.fromEntries(Object.entries(op.responses as Json).map(([status, response]) => [status, deref(response)]));
  const parameters = [...((pathItem.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map(deref);
  return { id: operationId, method, path, pathItem, op, responses, parameters };
});

function operation(id: string): Operation {
  const found = operations.find((o) => o.id === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
}

function hasAssumedMarker(node: Json): boolean {
  return node['x-assumed'] === true;
}

/** Every schema node reachable from `root`, following $refs once each. */
function reachableSchemas(root: unknown, seen = new Set<unknown>()): Json[] {
  if (root === null || typeof root !== 'object' || seen.has(root)) return [];
  seen.add(root);
  const node = root as Json;
  const found: Json[] = [node];
  if (typeof node.$ref === 'string') return [...found, ...reachableSchemas(deref(node), seen)];
  for (const [key, child] of Object.entries(node)) {
    if (key === 'examples' || key.startsWith('x-')) continue;
    if (Array.isArray(child)) for (const item of child) found.push(...reachableSchemas(item, seen));
    else found.push(...reachableSchemas(child, seen));
  }
  return found;
}

function jsonSchemaOf(holder: Json): unknown {
  return ((holder.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
}

describe('the upstream contract covers DESIGN.md §1', () => {
  it.each(SECTIONS)('%s is documented as %s %s (%s)', (_section, method, path, operationId) => {
    expect(paths[path]?.[method.toLowerCase()]).toMatchObject({ operationId });
  });

  it('documents no operation outside the 14 sections', () => {
    expect(operations.map((o) => o.id).sort()).toEqual(SECTIONS.map((s) => s[3]).sort());
  });

  it('defines every component schema the gateway refers to', () => {
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(REQUIRED_SCHEMAS));
  });

  it('targets the Manager dev and prod hosts, and the shop host for §8 only', () => {
    expect((doc.servers as Json[]).map((s) => s.url)).toEqual([
      'https://manager.pharmaone.dev.secpaid.com',
      'https://manager.prod.pharmaone.shop',
    ]);
    const shopPaths = Object.entries(paths).filter(([, item]) => item.servers !== undefined);
    expect(shopPaths.map(([path, item]) => [path, (item.servers as Json[])[0]?.url])).toEqual([['/api/v1/external-order', '{shopUrl}']]);
  });
});

describe('every operation', () => {
  it('has a unique operationId and a description', () => {
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
    for (const o of operations) expect(o.op.description, o.id).toEqual(expect.stringMatching(/\S/));
  });

  it.each(SECTIONS)('%s %s %s declares its credential and scope', (_s, _m, _p, id, scheme, scope) => {
    expect(operation(id).op.security).toEqual([{ [scheme]: scope === undefined ? [] : [scope] }]);
  });

  it('names only security schemes that exist: apikey in the apikey header, bearerJwt as a JWT bearer', () => {
    expect(components.securitySchemes).toEqual({
      apikey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'apikey' }),
      bearerJwt: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });

  it('documents 401, 403, 429 with a required Retry-After header, and 5XX', () => {
    for (const o of operations) {
      expect(Object.keys(o.responses), o.id).toEqual(expect.arrayContaining(['401', '403', '429', '5XX']));
      const retryAfter = deref((o.responses['429']?.headers as Json | undefined)?.['Retry-After'] ?? {});
      expect(retryAfter, o.id).toMatchObject({ required: true, schema: { type: 'integer' } });
    }
  });

  it('gives every response a JSON schema', () => {
    for (const o of operations) {
      for (const [status, response] of Object.entries(o.responses)) {
        expect(jsonSchemaOf(response), `${o.id} ${status}`).toBeDefined();
      }
    }
  });

  it('answers Kong-checked routes with Kong bodies on 401', () => {
    const kong = { $ref: '#/components/schemas/KongError' };
    expect(jsonSchemaOf(operation('createOrderRequestV1').responses['401'] as Json)).toEqual(kong);
    expect(jsonSchemaOf(operation('submitExternalOrder').responses['401'] as Json)).toEqual({
      anyOf: [kong, { $ref: '#/components/schemas/Error' }],
    });
  });
});

describe('operation details from DESIGN.md §1', () => {
  const writes = ['updateOrderStatus', 'createOrderRequest', 'createOrderRequestV1', 'submitExternalOrder', 'ingestPrescription'];

  it.each(writes)('%s takes an optional Idempotency-Key header', (id) => {
    expect(operation(id).parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', 'x-assumed': true }));
    expect(operation(id).parameters.find((p) => p.name === 'Idempotency-Key')?.required).not.toBe(true);
  });

  it.each(['listOrders', 'listPrescriptions', 'listInventory', 'listProducts'])(
    '%s pages with limit 1–100 (default 20) and offset ≥ 0',
    (id) => {
      const byName = Object.fromEntries(operation(id).parameters.map((p) => [p.name, p]));
      expect(byName.limit?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
      expect(byName.offset?.schema).toEqual({ type: 'integer', minimum: 0, default: 0 });
    },
  );

  it('filters lists as DESIGN.md lists them, with shop_id required only for products', () => {
    const queryNames = (id: string) =>
      operation(id)
        .parameters.filter((p) => p.in === 'query')
        .map((p) => `${p.name}${p.required ? '!' : ''}`);
    expect(queryNames('listOrders')).toEqual(['limit', 'offset', 'status', 'payment_status', 'shop_id']);
    expect(queryNames('listPrescriptions')).toEqual(['limit', 'offset', 'status', 'shop_id']);
    expect(queryNames('listInventory')).toEqual(['shop_id', 'limit', 'offset', 'low_stock']);
    expect(queryNames('listProducts')).toEqual(['shop_id!', 'limit', 'offset', 'search']);
    expect(queryNames('getProductPerformance')).toEqual(['limit']);
  });

  it('documents the error statuses DESIGN.md names per operation', () => {
    expect(Object.keys(operation('getOrder').responses)).toContain('404');
    expect(Object.keys(operation('updateOrderStatus').responses)).toEqual(expect.arrayContaining(['400', '404', '409']));
    expect(Object.keys(operation('createOrderRequestV1').responses)).toContain('400');
    expect(Object.keys(operation('listProducts').responses)).toContain('400');
    expect(Object.keys(operation('ingestPrescription').responses)).toContain('422');
    expect(jsonSchemaOf(operation('ingestPrescription').responses['422'] as Json)).toEqual({
      $ref: '#/components/schemas/ValidationError',
    });
  });

  it('creates order requests and prescriptions with 201', () => {
    for (const id of ['createOrderRequest', 'createOrderRequestV1', 'submitExternalOrder', 'ingestPrescription']) {
      expect(Object.keys(operation(id).responses), id).toContain('201');
    }
  });

  it('documents the overlapping dashboard prescription counts', () => {
    expect(schemas.DashboardPrescriptionCounts?.description).toContain('`total = pending + approved + declined`');
  });
});

describe('response schemas tolerate what the real API may add', () => {
  const responseSchemas = operations.flatMap((o) => Object.values(o.responses).map(jsonSchemaOf));
  const reachable = reachableSchemas(responseSchemas);

  it('use x-extensible-enum rather than closed enums', () => {
    expect(reachable.filter((s) => 'enum' in s || 'const' in s)).toEqual([]);
    for (const name of ['OrderSummary', 'Prescription']) {
      expect((schemas[name]?.properties as Json | undefined)?.status).toMatchObject({
        type: 'string',
        'x-extensible-enum': expect.any(Array),
      });
    }
  });

  it('never forbid unknown fields', () => {
    expect(reachable.filter((s) => s.additionalProperties === false || s.unevaluatedProperties === false)).toEqual([]);
  });
});

describe('x-assumed marks exactly what the seed does not show', () => {
  it('on path items', () => {
    for (const [path, item] of Object.entries(paths)) {
      expect(hasAssumedMarker(item), path).toBe(!SEED_PATHS.includes(path));
    }
  });

  it('on operations', () => {
    for (const o of operations) expect(hasAssumedMarker(o.op), o.id).toBe(!SEED_OPERATIONS.includes(o.id));
  });

  it('on responses', () => {
    for (const o of operations) {
      for (const [status, response] of Object.entries(o.responses)) {
        const key = `${o.id} ${status}`;
        expect(hasAssumedMarker(response), key).toBe(!SEED_RESPONSES.includes(key));
      }
    }
    expect(hasAssumedMarker(components.responses?.MethodNotAllowed as Json)).toBe(true);
  });

  it('on parameters', () => {
    for (const o of operations) {
      for (const p of o.parameters) {
        const seen = SEED_PARAMETERS.includes(`${p.in} ${p.name}`) || SEED_PARAMETERS.includes(`${o.id} ${p.in} ${p.name}`);
        expect(hasAssumedMarker(p), `${o.id} ${p.in} ${p.name}`).toBe(!seen);
      }
    }
  });

  it('on request bodies', () => {
    for (const o of operations.filter((op) => op.op.requestBody !== undefined)) {
      expect(hasAssumedMarker(deref(o.op.requestBody)), o.id).toBe(!SEED_REQUEST_BODIES.includes(o.id));
    }
  });

  it('on component schemas', () => {
    for (const [name, schema] of Object.entries(schemas)) {
      expect(hasAssumedMarker(schema), name).toBe(!SEED_SCHEMAS.includes(name));
    }
  });

  it('on every property of a seed schema that the seed examples do not contain', () => {
    const read = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8')) as Json;
    const token = read('01-token-response.json');
    const orders = read('03-orders-list.json');
    const order = read('04-order-detail.json');
    const external = read('08-external-order-body.json');
    const dashboard = read('13-dashboard.json').data as Json;
    const payload = external.payload as Json;
    const first = (list: unknown): Json => (list as Json[])[0] as Json;
    const samples: Record<string, Json> = {
      TokenResponse: token,
      TokenClaims: { iss: 0, sub: 0, org_id: 0, scopes: 0 }, // the claims the seed names under §1
      Pagination: orders.pagination as Json,
      OrderSummary: first(orders.data),
      OrderList: orders,
      Order: order,
      OrderItem: first(order.items),
      ShippingAddress: order.shipping_address as Json,
      OrderPayload: payload,
      OrderPayloadItem: first(payload.items),
      ExternalOrderBody: external,
      DashboardStats: dashboard,
      DashboardPrescriptionCounts: dashboard.prescriptions as Json,
      ShopPerformance: first(dashboard.shop_performance),
      MonthlyTrend: first(dashboard.monthly_trends),
    };
    expect(Object.keys(samples).sort()).toEqual([...SEED_SCHEMAS].sort());
    for (const [name, sample] of Object.entries(samples)) {
      const schema = schemas[name] as Json;
      const parts = [schema, ...((schema.allOf as Json[] | undefined) ?? [])].map(deref);
      for (const part of parts) {
        for (const [property, definition] of Object.entries((part.properties as Json | undefined) ?? {})) {
          if (!(property in sample)) expect(hasAssumedMarker(definition as Json), `${name}.${property}`).toBe(true);
        }
      }
    }
  });
});
