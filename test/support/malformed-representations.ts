// Malformed `_entities` representations, by class, for test/federation/entities-malformed.test.ts:
// each case is a list of representations a router would never send, and the index of the one the
// gateway must name. The key fields and non-entity types come from the subgraph schema itself, so
// a new type or key is covered without editing this file.
import { isUnionType } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { entityKeysOf } from '../../src/graphql/safety/representations.ts';
import { HOSTILE_IDS } from './hostile-ids.ts';

export interface MalformedCase {
  name: string;
  representations: unknown[];
  /** The index the message names: `representations[i]`. */
  index: number;
  /** The `__typename` sent, when the case is about it (it must not be repeated unless it is an entity). */
  typename?: unknown;
}

/** Well-formed references of each resolvable entity (the ids need not exist). */
export const VALID: Record<string, Record<string, unknown>> = {
  Org: { __typename: 'Org', id: 'org1' },
  Shop: { __typename: 'Shop', orgId: 'org1', id: 'shop1' },
  Order: { __typename: 'Order', orgId: 'org1', id: 'ORD_20260101_x' },
  Product: { __typename: 'Product', orgId: 'org1', shopId: 'shop1', p1Id: 'P1-000123' },
};

const WRONG_TYPES: Array<[string, unknown]> = [
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
  ['an object', { id: 'org1' }],
  ['a list', ['org1']],
];

const BAD_TYPENAMES: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['a boolean', true],
  ['an object', { name: 'Org' }],
  ['a list', ['Org']],
  ['empty', ''],
  ['lower case', 'org'],
  ['upper case', 'ORG'],
  ['padded', ' Org '],
  ['with NUL', 'Org\u0000'],
  ['unknown', 'Nope'],
  ['Object.prototype key', 'constructor'],
  ['__proto__', '__proto__'],
  ['10 KB', 'T'.repeat(10 * 1024)],
];

const NOT_OBJECTS: Array<[string, unknown]> = [
  ['zero', 0],
  ['a number', -1.5],
  ['true', true],
  ['false', false],
  ['an empty string', ''],
  ['a type name', 'Org'],
  ['JSON text', '{"__typename":"Org","id":"org1"}'],
  ['an empty list', []],
  ['a list holding a reference', [VALID.Org]],
  ['a nested list', [[VALID.Org]]],
];

export function entityNames(schema: GraphQLSchema): Set<string> {
  const union = schema.getType('_Entity');
  return new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);
}

/** Every type of the schema that is not an entity: roots, introspection, scalars, enums, inputs, unions, plain objects, federation's own. */
export function nonEntityTypeNames(schema: GraphQLSchema): string[] {
  const entities = entityNames(schema);
  return Object.keys(schema.getTypeMap()).filter((name) => !entities.has(name));
}

export function malformedCases(schema: GraphQLSchema): MalformedCase[] {
  const cases: MalformedCase[] = [];
  const add = (name: string, representation: unknown, typename?: unknown) =>
    cases.push({ name, representations: [representation], index: 0, ...(typename === undefined ? {} : { typename }) });
  const { __typename: _, ...orgKey } = VALID.Org as Record<string, unknown>;

  add('__typename missing', orgKey);
  for (const [name, typename] of BAD_TYPENAMES) add(`__typename ${name}`, { __typename: typename, ...orgKey }, typename);
  for (const typename of nonEntityTypeNames(schema))
    add(`__typename ${typename} (not an entity)`, { __typename: typename, ...orgKey }, typename);
  for (const [name, value] of NOT_OBJECTS) add(`a representation that is ${name}`, value);

  for (const [typeName, key] of entityKeysOf(schema)) {
    if (!key.resolvable) {
      add(`a ${typeName} (resolvable: false)`, { __typename: typeName, ...Object.fromEntries(key.fields.map((f) => [f.name, 'x1'])) });
      continue;
    }
    const valid = VALID[typeName] as Record<string, unknown>;
    for (const field of key.fields) {
      const { [field.name]: _dropped, ...without } = valid;
      add(`${typeName} without ${field.name}`, without);
      for (const [name, value] of WRONG_TYPES) add(`${typeName}.${field.name} ${name}`, { ...valid, [field.name]: value });
      const bad: Array<[string, string]> =
        field.rule === 'id'
          ? HOSTILE_IDS
          : [
              ['empty', ''],
              ['129 characters', 'p'.repeat(129)],
              ['10 KB', 'p'.repeat(10 * 1024)],
            ];
      for (const [name, value] of bad) add(`${typeName}.${field.name} ${name}`, { ...valid, [field.name]: value });
    }
    add(`${typeName} with a field outside its key`, { ...valid, name: 'Forged' });
  }
  add('an Org with an own __proto__ field', JSON.parse('{"__typename":"Org","id":"org1","__proto__":{"admin":true}}'));
  cases.push({
    name: 'a malformed reference after well-formed ones',
    representations: [VALID.Org, VALID.Shop, { ...VALID.Order, id: '../x' }, VALID.Product],
    index: 2,
  });
  return cases;
}

/** The value as a GraphQL literal (JSON's string escapes are GraphQL's too). */
export function graphqlLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(graphqlLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([name, field]) => `${name}: ${graphqlLiteral(field)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
