// The upstream route table (src/upstream/routes.ts) must say exactly what the OpenAPI file says:
// the same operations under the same operationIds (which name the client's methods), the scope
// each JWT route needs, which routes take the API key, which parameters carry ids (with the id
// grammar as their pattern), and which answers are paginated. And what is derived from the table
// must name each route once: labels (metrics, logs, 404 subjects) and SDL references are unique.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { referenceOf, ROUTE_BY_OPERATION, ROUTES, routeReferenced } from '../../src/upstream/routes.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';
import { successSchema } from '../../src/upstream/response-shape.ts';
import { UPSTREAM_ID_MAX_LENGTH, UPSTREAM_ID_PATTERN } from '../../src/upstream/upstream-ids.ts';

// biome-ignore lint/suspicious/noExplicitAny: the parsed OpenAPI document is walked by key, as test/support/contract.ts does.
type Json = Record<string, any>;
const doc = parse(readFileSync(new URL('../../schema/pharmaone.openapi.yaml', import.meta.url), 'utf8')) as Json;
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

const deref = (node: Json): Json =>
  node.$ref
    ? deref(
        node.$ref
          .slice(2)
          .split('/')
          .reduce((n: Json, k: string) => n[k], doc),
      )
    : node;

const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    key: `${method.toUpperCase()} ${path}`,
    operation: item[method] as Json,
    parameters: [...(item.parameters ?? []), ...(item[method].parameters ?? [])].map(deref),
  })),
);

describe('the upstream route table', () => {
  it('has one entry per OpenAPI operation, and no other', () => {
    expect(Object.keys(ROUTES).sort()).toEqual(operations.map((o) => o.key).sort());
  });

  it.each(operations)('$key: named by its operationId, the one route that name stands for', ({ key, operation }) => {
    expect(ROUTES[key as RouteKey].operation).toBe(operation.operationId);
    expect(ROUTE_BY_OPERATION[operation.operationId as keyof typeof ROUTE_BY_OPERATION]).toBe(key);
  });

  it('gives every route its own operationId, label and SDL reference', () => {
    const keys = Object.keys(ROUTES) as RouteKey[];
    for (const name of [(k: RouteKey) => ROUTES[k].operation, (k: RouteKey) => ROUTES[k].label, referenceOf]) {
      expect(new Set(keys.map(name)).size).toBe(keys.length);
    }
    expect(keys.filter((key) => routeReferenced(referenceOf(key)) !== key)).toEqual([]);
  });

  it('labels Manager routes relative to the org base, and others as they always were', () => {
    const labels = Object.fromEntries(Object.values(ROUTES).map((spec) => [spec.operation, spec.label]));
    expect(labels).toMatchObject({
      exchangeToken: 'POST /auth/token',
      getOrder: 'GET /orders/{id}',
      updateOrderStatus: 'PATCH /orders/{id}/status',
      getProductPerformance: 'GET /reports/product-performance',
      createOrderRequestV1: 'POST /api/v1/order-requests',
      submitExternalOrder: 'POST {shop}/api/v1/external-order',
    });
  });

  it.each(operations)('$key: scope, auth and retry class follow the contract', ({ key, operation }) => {
    const spec = ROUTES[key as RouteKey];
    const jwt = operation.security?.find((requirement: Json) => 'bearerJwt' in requirement)?.bearerJwt;
    expect(spec.auth).toBe(jwt ? 'jwt' : 'apikey');
    expect(spec.scope).toBe(jwt ? jwt[0] : null);
    // Reads and the token exchange (which changes nothing) may be retried; writes never.
    expect(spec.retry).toBe(key.startsWith('GET ') || operation.operationId === 'exchangeToken' ? 'read' : 'write');
    expect(spec.host).toBe(key.endsWith('/external-order') ? 'shop' : 'manager');
  });

  it.each(operations)('$key: every id parameter carries the id grammar, and the table knows them', ({ key, parameters }) => {
    const spec = ROUTES[key as RouteKey];
    for (const parameter of parameters.filter((p) => p.in === 'path')) {
      expect(parameter.schema, `${key} {${parameter.name}}`).toMatchObject({
        pattern: UPSTREAM_ID_PATTERN,
        maxLength: UPSTREAM_ID_MAX_LENGTH,
      });
    }
    const idQuery = parameters.filter((p) => p.in === 'query' && p.schema?.pattern === UPSTREAM_ID_PATTERN).map((p) => p.name);
    expect([...spec.idQuery].sort()).toEqual(idQuery.sort());
  });

  it.each(operations)('$key: paginated exactly when its answer has `pagination`', ({ key }) => {
    const schema = deref(successSchema(key as RouteKey) as Json);
    expect(ROUTES[key as RouteKey].paged).toBe(Boolean(schema.properties?.pagination));
  });

  it('admits every id the seed and the sandbox show, and nothing path-like', () => {
    const grammar = new RegExp(UPSTREAM_ID_PATTERN);
    for (const id of [
      'org1',
      'org2',
      'shop1',
      'shop3',
      'ORD_20260614_8v039dhnrv',
      'ORD_20260613_LmOSX158ce',
      'RX_20260614_abcdEFGH12',
      'REQ_0001',
    ]) {
      expect(grammar.test(id), id).toBe(true);
    }
    for (const bad of ['.', '..', '%2e%2e', 'a/b', '?x=', '#', '', ' org1', 'örg', 'a'.repeat(65)])
      expect(grammar.test(bad), bad).toBe(false);
  });
});
