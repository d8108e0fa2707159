// The gateway refuses calls whose scope the token lacks before making them (ROUTE_SCOPES); that
// table must say exactly what the contract's security requirements say.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { ROUTE_SCOPES } from '../../src/upstream/pharmaone-client.ts';

const ORG_BASE = '/api/v2/public/orgs/{org}';

it('uses the scope the OpenAPI file names for every JWT route', () => {
  const doc = parse(readFileSync(new URL('../../schema/pharmaone.openapi.yaml', import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
  };
  const fromContract: Record<string, string> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const jwtScopes = operation.security?.find((requirement) => 'bearerJwt' in requirement)?.bearerJwt;
      const [scope] = jwtScopes ?? [];
      if (scope && path.startsWith(ORG_BASE)) fromContract[`${method.toUpperCase()} ${path.slice(ORG_BASE.length)}`] = scope;
    }
  }
  expect(ROUTE_SCOPES).toEqual(fromContract);
});
