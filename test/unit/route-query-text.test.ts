// A route call's query string is written without a URLSearchParams when every name and value is
// one URLSearchParams would write as it is (src/upstream/routes.ts, queryText). The class: for any
// value, the query is byte for byte what URLSearchParams writes.
import { describe, expect, it } from 'vitest';
import { buildRouteUrl } from '../../src/upstream/routes.ts';

const ROUTE = 'GET /api/v2/public/orgs/{org}/orders';
const TARGETS = { baseUrl: 'http://127.0.0.1:4010', shopUrlTemplate: undefined };

const VALUES = [
  '',
  'pending',
  'Awaiting_Packing',
  '10',
  '-1.5e3',
  '*._-',
  'a b',
  'a+b',
  'a%20b',
  "it's",
  '!()~',
  'a&b=c',
  '#?/\\',
  'ä',
  '日本',
  '😀',
  '\uD800',
  '\u0000\n\t',
  '[]{}|^`"<>',
];

function expected(query: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  const text = search.toString();
  return `/api/v2/public/orgs/org1/orders${text ? `?${text}` : ''}`;
}

describe('a route query string', () => {
  it.each(VALUES)('is what URLSearchParams writes for search=%j, alone and among page values', (value) => {
    for (const query of [
      { search: value },
      { limit: 10, offset: 0, search: value },
      { search: value, limit: 10, status: undefined, offset: 20 },
      { limit: 10, offset: 0, search: value, status: value === '' ? undefined : 'pending' },
    ]) {
      expect(buildRouteUrl(ROUTE, TARGETS, { params: { org: 'org1' }, query }).path).toBe(expected(query));
    }
  });

  it('is empty for a query with no values, and plain for numbers and booleans', () => {
    const numbers = [0, -0, -1, 1.5, -2.25, 1e-7, 1e21, -1e21, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY];
    for (const query of [
      {},
      { search: undefined },
      { limit: 1, offset: 0 },
      { low_stock: true, limit: 5, offset: 5 },
      ...numbers.map((offset) => ({ limit: 10, offset })),
      ...numbers.map((limit) => ({ limit, low_stock: false })),
    ]) {
      expect(buildRouteUrl(ROUTE, TARGETS, { params: { org: 'org1' }, query }).path).toBe(expected(query));
    }
  });
});
