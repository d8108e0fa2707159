// The key a request scope keeps a GET under (src/upstream/read-key.ts): two reads share exactly
// when the JSON key it replaced says so (route, org, path values, query), whatever hostile text
// the ids hold. Checked over every pair of many small reads built from the characters a key is
// made of (`\n`, `:`, `=`, digits, the kind letters, quotes, NUL), so near collisions are common.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readKey } from '../../src/upstream/read-key.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';

type Values = Record<string, unknown> | undefined;
type Read = [route: RouteKey, orgId: string, params: Values, query: Values];

/** The key before: JSON of the path values and of the query. */
function oracleKey([route, orgId, params, query]: Read): string {
  return `${route}\n${orgId}\n${JSON.stringify(params ?? {})}\n${JSON.stringify(query ?? {})}`;
}

const ORDERS = 'GET /api/v2/public/orgs/{org}/orders' as RouteKey;
const ORDER = 'GET /api/v2/public/orgs/{org}/orders/{id}' as RouteKey;

const text = fc.string({ unit: fc.constantFrom('a', '1', '2', ':', '\n', '=', '?', 's', 'n', 't', '"', '\u0000', '{'), maxLength: 4 });
const value = fc.oneof(
  text,
  fc.integer({ min: -2, max: 12 }),
  fc.constantFrom<unknown>(0, -0, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, undefined, '10', 'true'),
);
const values = fc.option(fc.dictionary(fc.constantFrom('limit', 'offset', 'id', 'a\nb', '1:', 's1:a'), value, { maxKeys: 3 }), {
  nil: undefined,
});
const read = fc.tuple(fc.constantFrom(ORDERS, ORDER), text, values, values) as fc.Arbitrary<Read>;

describe('readKey', () => {
  it('shares exactly the reads the JSON key shared, over every pair of 400 hostile reads', () => {
    const reads = fc.sample(read, 400);
    const differing: string[] = [];
    let shared = 0;
    for (let i = 0; i < reads.length; i++) {
      for (let j = i + 1; j < reads.length; j++) {
        const a = reads[i] as Read;
        const b = reads[j] as Read;
        const before = oracleKey(a) === oracleKey(b);
        if (before) shared++;
        if ((readKey(...a) === readKey(...b)) !== before)
          differing.push(`${JSON.stringify(a)} / ${JSON.stringify(b)}: shared before ${before}`);
      }
    }
    expect(differing.slice(0, 5)).toEqual([]);
    // The sample holds reads that must share (the comparison is not only of distinct reads).
    expect(shared).toBeGreaterThan(0);
  });

  it.each<[string, Read, Read]>([
    ['an org holding the next part', [ORDERS, 'a\n1:b', {}, {}], [ORDERS, 'a', { b: 'x' }, {}]],
    ['an org holding a path value', [ORDER, 'a\n2:id=s1:x', {}, {}], [ORDER, 'a', { id: 'x' }, {}]],
    ['an org holding the query', [ORDERS, 'a\n?\n5:limit=n1', {}, {}], [ORDERS, 'a', {}, { limit: 1 }]],
    ['an org holding a length', [ORDERS, '1:a', {}, {}], [ORDERS, '1', {}, {}]],
    ['a text and a number', [ORDERS, 'o', {}, { limit: '10' }], [ORDERS, 'o', {}, { limit: 10 }]],
    ['a text and a boolean', [ORDERS, 'o', {}, { a: 'true' }], [ORDERS, 'o', {}, { a: true }]],
    ['a value holding the next entry', [ORDERS, 'o', {}, { a: 's1:x\n5:limit=n1' }], [ORDERS, 'o', {}, { a: 's1:x', limit: 1 }]],
    ['path values and query', [ORDER, 'o', { id: 'x' }, {}], [ORDER, 'o', {}, { id: 'x' }]],
    ['a value holding the query marker', [ORDER, 'o', { id: 'x\n?' }, {}], [ORDER, 'o', { id: 'x' }, {}]],
    ['the same org under two routes', [ORDERS, 'o', {}, {}], [ORDER, 'o', {}, {}]],
    ['null and a text', [ORDERS, 'o', {}, { a: null }], [ORDERS, 'o', {}, { a: 'null' }]],
    ['an entry order', [ORDERS, 'o', {}, { limit: 1, offset: 2 }], [ORDERS, 'o', {}, { offset: 2, limit: 1 }]],
  ])('keeps %s apart', (_, a, b) => {
    expect(oracleKey(a)).not.toBe(oracleKey(b));
    expect(readKey(...a)).not.toBe(readKey(...b));
  });

  it.each<[string, Read, Read]>([
    ['an absent and an undefined entry', [ORDERS, 'o', {}, { limit: 1 }], [ORDERS, 'o', {}, { limit: 1, status: undefined }]],
    ['no query and an empty one', [ORDERS, 'o', undefined, undefined], [ORDERS, 'o', {}, {}]],
    ['0 and -0', [ORDERS, 'o', {}, { offset: 0 }], [ORDERS, 'o', {}, { offset: -0 }]],
    ['NaN and null (JSON writes both as null)', [ORDERS, 'o', {}, { limit: Number.NaN }], [ORDERS, 'o', {}, { limit: null }]],
  ])('shares %s, as before', (_, a, b) => {
    expect(oracleKey(a)).toBe(oracleKey(b));
    expect(readKey(...a)).toBe(readKey(...b));
  });
});
