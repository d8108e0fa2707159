// The token route's path as the trace shows it (src/upstream/token-path.ts): byte for byte what
// buildRouteUrl writes, for every base URL shape and every kind of org id the id grammar allows,
// base URLs alternating (the template is kept for the last one asked).
import { describe, expect, it } from 'vitest';
import { buildRouteUrl, ROUTE_BY_OPERATION } from '../../src/upstream/routes.ts';
import { tokenPath } from '../../src/upstream/token-path.ts';

const BASE_URLS = [
  'https://manager.example',
  'https://manager.example/',
  'https://manager.example/api',
  'https://manager.example/api/',
  'http://127.0.0.1:8080/p1',
  'https://Manager.Example:443/API/v0',
  'https://manager.example/a%20b/c',
  'https://manager.example/api?tenant=1',
  'https://manager.example/api#frag',
  'https://manager.example/org0tokenpath0mark0f3a9c',
];
const ORG_IDS = ['org1', 'A', '0', '0-_', 'ORG_2-b', 'x'.repeat(64), 'org0tokenpath0mark0f3a9c'];

describe('the token route path of a trace entry', () => {
  it.each(ORG_IDS)('is buildRouteUrl’s for org %j under every base URL, alternating', (orgId) => {
    for (const round of [0, 1]) {
      for (const baseUrl of round === 0 ? BASE_URLS : [...BASE_URLS].reverse()) {
        const targets = { baseUrl, shopUrlTemplate: undefined };
        const built = buildRouteUrl(ROUTE_BY_OPERATION.exchangeToken, targets, { params: { org: orgId } }).path;
        expect({ baseUrl, path: tokenPath(targets, orgId) }).toEqual({ baseUrl, path: built });
        // Asked twice: the kept template answers the second.
        expect({ baseUrl, path: tokenPath(targets, orgId) }).toEqual({ baseUrl, path: built });
      }
    }
  });
});
