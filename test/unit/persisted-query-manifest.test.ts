import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { parseSafelist } from '../../src/graphql/plugins/persisted-queries.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';

const schema = buildGatewaySchema();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const SHOPS = 'query Shops { org(id: "org1") { shops { id } } }';
const manifest = (operations: unknown[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

describe('the safelist manifest', () => {
  it('indexes operations by id with their name and type', () => {
    const safelist = parseSafelist(manifest([{ id: sha256(SHOPS), body: SHOPS, name: 'Shops', type: 'query' }]), schema);
    expect([...safelist.operations.values()]).toEqual([{ id: sha256(SHOPS), body: SHOPS, name: 'Shops', type: 'query' }]);
  });

  it('refuses a manifest that would refuse or misroute real clients, saying what is wrong', () => {
    const problems = [
      { format: 'something-else', version: 1, operations: [] },
      manifest([{ id: 'shops-v1', body: SHOPS }]),
      manifest([{ id: sha256('{ nope }'), body: '{ nope }' }]),
      manifest([{ id: sha256('{ org('), body: '{ org(' }]),
    ].map((json) => {
      try {
        parseSafelist(json, schema, 'm.json');
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(problems).toEqual([
      'PERSISTED_QUERIES_SAFELIST: m.json: expected {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [...]}',
      'PERSISTED_QUERIES_SAFELIST: m.json: operations[0].id is not the SHA-256 (hex) of its body',
      'PERSISTED_QUERIES_SAFELIST: m.json: operations[0] is not valid against the schema: Cannot query field "nope" on type "Query".',
      expect.stringMatching(/^PERSISTED_QUERIES_SAFELIST: m\.json: operations\[0\] does not parse: Syntax Error/),
    ]);
  });

  it('is required when enforcement is switched on', () => {
    expect(() => loadConfig({ PERSISTED_QUERIES_ENFORCE: 'true' })).toThrow(
      'PERSISTED_QUERIES_ENFORCE=true needs PERSISTED_QUERIES_SAFELIST',
    );
  });
});
