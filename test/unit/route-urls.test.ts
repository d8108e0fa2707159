// URL building without a `new URL()` per call: the path a call records and the origin its breaker
// is keyed by must be exactly what parsing the whole URL gives, whatever the base URL looks like.
import { describe, expect, it } from 'vitest';
import { buildRouteUrl } from '../../src/upstream/routes.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';

const BASES = [
  'http://127.0.0.1:4010',
  'http://127.0.0.1:4010/',
  'https://API.Example.com:443/pharmaone',
  'http://example.com/a/b/..',
  'http://example.com/a/.',
  'http://example.com/a%2e%2e',
  'http://example.com/a b',
  'http://user:pw@example.com:80/x',
  'http://example.com\\prefix',
  'http://example.com/p?x=1',
  'http://example.com/p#frag',
];

const CALLS: Array<[RouteKey, { params: Record<string, string>; query?: Record<string, string | number | undefined> }]> = [
  [
    'GET /api/v2/public/orgs/{org}/orders',
    { params: { org: 'org1' }, query: { limit: 10, offset: 0, search: "it's a b&c=d", shop_id: undefined } },
  ],
  ['GET /api/v2/public/orgs/{org}/orders/{id}', { params: { org: 'org1', id: 'ord_1-A' } }],
  ['GET /api/v2/public/orgs/{org}/shops', { params: { org: 'o' }, query: {} }],
];

describe('buildRouteUrl', () => {
  for (const baseUrl of BASES) {
    it(`gives the origin, path and query the URL parser sees under ${JSON.stringify(baseUrl)}`, () => {
      for (const [route, input] of CALLS) {
        const { url, origin, path } = buildRouteUrl(route, { baseUrl, shopUrlTemplate: undefined }, input);
        const parsed = new URL(url);

        expect({ origin, path }).toEqual({ origin: parsed.origin, path: parsed.pathname + parsed.search });
        // Twice: the second call uses what the first learnt about the base URL.
        expect(buildRouteUrl(route, { baseUrl, shopUrlTemplate: undefined }, input)).toEqual({ url, origin, path });
      }
    });
  }

  it('still refuses an id outside the grammar before building anything', () => {
    expect(() =>
      buildRouteUrl(
        'GET /api/v2/public/orgs/{org}/orders/{id}',
        { baseUrl: BASES[0] ?? '', shopUrlTemplate: undefined },
        {
          params: { org: 'org1', id: '../x' },
        },
      ),
    ).toThrow(/id/);
  });
});
