// Subgraph mode serves the same graph as standalone mode, plus exactly the federation additions:
// every standalone type prints identically, and the only new names are Federation 2's own.
import { isObjectType, printType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { readFederationConfig } from '../../src/federation/config.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';

const standalone = buildGatewaySchema();
const subgraph = buildGatewaySchema({ federationSubgraph: true });

describe('the subgraph schema', () => {
  it('prints every standalone type identically (Query gains only _entities and _service)', () => {
    for (const type of Object.values(standalone.getTypeMap())) {
      const served = subgraph.getType(type.name);
      if (!served) throw new Error(`${type.name} is missing in subgraph mode`);
      if (type.name === 'Query' && isObjectType(served)) {
        expect(Object.keys(served.getFields()).sort()).toEqual(
          [...Object.keys(standalone.getQueryType()?.getFields() ?? {}), '_entities', '_service'].sort(),
        );
        continue;
      }
      expect(printType(served)).toBe(printType(type));
    }
  });

  it('adds only Federation 2 types and directives', () => {
    const addedTypes = Object.keys(subgraph.getTypeMap()).filter((name) => !standalone.getType(name));
    const addedDirectives = subgraph
      .getDirectives()
      .map((d) => d.name)
      .filter((name) => !standalone.getDirective(name));

    // The specs' own names: the three root helpers, and the @link/federation namespaces.
    const federationOwn = (name: string) => ['_Any', '_Entity', '_Service'].includes(name) || /^(federation|link)__/.test(name);
    expect(addedTypes.filter((name) => !federationOwn(name))).toEqual([]);
    expect(addedTypes).toEqual(expect.arrayContaining(['_Any', '_Entity', '_Service', 'federation__FieldSet']));
    expect(addedDirectives.filter((name) => !federationOwn(name)).sort()).toEqual(['key', 'link']);
  });

  it('makes Org, Shop, Order, Product and Prescription entities', () => {
    const entity = subgraph.getType('_Entity');
    expect(
      entity && 'getTypes' in entity
        ? entity
            .getTypes()
            .map((type) => type.name)
            .sort()
        : [],
    ).toEqual(['Order', 'Org', 'Prescription', 'Product', 'Shop']);
  });
});

describe('FEDERATION_SUBGRAPH', () => {
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['TRUE', true],
    ['1', true],
  ])('reads %j as %s', (value, subgraphMode) => {
    expect(parseEnv({ FEDERATION_SUBGRAPH: value }, readFederationConfig)).toEqual({ subgraph: subgraphMode });
  });

  it.each(['yes please', 'on2', 'subgraph'])('refuses %j with a clear error', (value) => {
    expect(() => parseEnv({ FEDERATION_SUBGRAPH: value }, readFederationConfig)).toThrow(
      `FEDERATION_SUBGRAPH must be a boolean: true/false, 1/0, yes/no or on/off (any case), got "${value}"`,
    );
  });
});
