// URL building without a `new URL()` per call: the path a call records and the origin its breaker
// is keyed by must be exactly what parsing the whole URL gives, whatever the base URL looks like.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRouteUrl, ROUTES } from '../../src/upstream/routes.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';
import { InvalidUpstreamInputError } from '../../src/upstream/upstream-errors.ts';
import { isUpstreamId, UPSTREAM_ID_PATTERN } from '../../src/upstream/upstream-ids.ts';

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

  it('admits in an id only characters encodeURIComponent writes as they are', () => {
    // buildRouteUrl writes a checked path value as it is: that is its encoding only while this holds.
    const admitted: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const character = String.fromCharCode(code);
      if (isUpstreamId(`a${character}`)) admitted.push(character);
    }
    expect(admitted.join('')).toBe('-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
    for (const character of admitted) expect(encodeURIComponent(character)).toBe(character);
  });

  const id = fc.stringMatching(new RegExp(UPSTREAM_ID_PATTERN));
  const routes = Object.keys(ROUTES) as RouteKey[];

  /** The URL as the rule states it: each path value one encoded segment, the query as URLSearchParams writes it. */
  function plainUrl(route: RouteKey, base: string, params: Record<string, string>, query: Record<string, string | number | undefined>) {
    const path = route.slice(route.indexOf(' ') + 1).replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
    const text = search.toString();
    const host = ROUTES[route].host === 'shop' ? base.replace('/manager', `/shop/${params.shopId}`) : base;
    return `${host}${path}${text ? `?${text}` : ''}`;
  }

  it.each(routes)('%s: writes the URL the rule states, byte for byte, for any ids and page values', (route) => {
    const targets = { baseUrl: 'http://127.0.0.1:4010/manager', shopUrlTemplate: 'http://127.0.0.1:4010/shop/{shopId}' };
    const query = fc.record({ limit: fc.integer({ min: 0, max: 500 }), offset: fc.integer({ min: 0, max: 10_000 }) });
    for (const [org, other, shopId, page] of fc.sample(fc.tuple(id, id, id, query), 300)) {
      const params = { org, id: other, shopId };
      const built = buildRouteUrl(route, targets, { params, query: page });
      expect(built.url).toBe(plainUrl(route, targets.baseUrl, params, page));
      expect(built.path).toBe(built.url.slice(new URL(built.url).origin.length));
    }
  });

  it.each(routes)('%s: refuses a hostile value of each path value before building anything', (route) => {
    const targets = { baseUrl: 'http://127.0.0.1:4010', shopUrlTemplate: 'http://127.0.0.1:4010/shop/{shopId}' };
    const names = [...route.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
    if (ROUTES[route].host === 'shop') names.push('shopId');
    const good = { org: 'org1', id: 'ord_1', shopId: 'shop-1' };
    expect(() => buildRouteUrl(route, targets, { params: good })).not.toThrow();
    for (const name of names) {
      for (const bad of ['', '..', '.', 'a/b', 'a?b', 'a#b', 'a b', '%2e%2e', 'a\nb', '_a', '-a', 'ä', 'a'.repeat(65), 'a.b']) {
        expect(() => buildRouteUrl(route, targets, { params: { ...good, [name]: bad } }), `${name}=${JSON.stringify(bad)}`).toThrow(
          InvalidUpstreamInputError,
        );
      }
    }
  });
});
