// The shape check of PharmaOne answers (src/upstream/response-shape.ts) compiles each route's
// schema into plans merged per object. These tests hold it to the closure-per-keyword checker it
// replaced, copied here as the oracle: for every route, a valid answer and every answer one edit
// away from it (a key gone, a value null, of another kind, an array where an object belongs...)
// get the same verdict, and so do arbitrary JSON values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pharmaoneContract } from '../../src/generated/pharmaone-contract.ts';
import { hasResponseShape, successSchema } from '../../src/upstream/response-shape.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';
import { ROUTES } from '../../src/upstream/routes.ts';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Check = (value: unknown) => boolean;

function resolve(ref: string): Schema {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], pharmaoneContract) as Schema;
}

// ---- The oracle: the compiler before plans, verbatim but for names. ----

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);
const ANY: Check = () => true;
const NOT_NULL: Check = (value) => value !== null;

function oracleCompile(schema: Schema, refs: Map<string, Check>): Check {
  if (schema.$ref) {
    const ref = schema.$ref;
    const known = refs.get(ref);
    if (known) return known;
    let compiled: Check = () => true;
    refs.set(ref, (value) => compiled(value));
    compiled = oracleCompile(resolve(ref), refs);
    refs.set(ref, compiled);
    return compiled;
  }
  const checks: Check[] = [];
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0) {
    const allowsNull = types.includes('null');
    const structural = types.filter((type) => !SCALARS.has(type) && type !== 'null');
    const scalar = types.some((type) => SCALARS.has(type));
    const allowsArray = structural.includes('array');
    const allowsObject = structural.some((type) => type !== 'array');
    if (scalar && structural.length === 0) {
      if (!allowsNull) checks.push(NOT_NULL);
    } else {
      checks.push((value) => {
        if (value === null) return allowsNull;
        if (scalar && typeof value !== 'object') return true;
        return Array.isArray(value) ? allowsArray : typeof value === 'object' && allowsObject;
      });
    }
  }
  const required = schema.required ?? [];
  const properties = Object.entries(schema.properties ?? {})
    .map(([name, inner]) => [name, oracleCompile(inner, refs)] as const)
    .filter(([, check]) => check !== ANY);
  if (required.length > 0 || properties.length > 0) {
    checks.push((value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
      const record = value as Record<string, unknown>;
      for (const name of required) if (!(name in record)) return false;
      for (const [name, check] of properties) if (name in record && !check(record[name])) return false;
      return true;
    });
  }
  const item = schema.items ? oracleCompile(schema.items, refs) : ANY;
  if (item !== ANY) {
    checks.push((value) => {
      if (!Array.isArray(value)) return true;
      for (const element of value) if (!item(element)) return false;
      return true;
    });
  }
  const all = (schema.allOf ?? []).map((inner) => oracleCompile(inner, refs)).filter((check) => check !== ANY);
  if (all.length > 0) {
    checks.push((value) => {
      for (const check of all) if (!check(value)) return false;
      return true;
    });
  }
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (!alternatives) continue;
    const any = alternatives.map((inner) => oracleCompile(inner, refs));
    if (any.includes(ANY)) continue;
    checks.push((value) => {
      for (const check of any) if (check(value)) return true;
      return false;
    });
  }
  if (checks.length === 0) return ANY;
  if (checks.length === 1) return checks[0] as Check;
  return (value) => {
    for (const check of checks) if (!check(value)) return false;
    return true;
  };
}

// ---- Answers: a valid one per schema, and every one edit away from it. ----

/** A value the schema accepts, every optional key present and every array two long. */
function sampleOf(schema: Schema, depth = 0): unknown {
  if (schema.$ref) return sampleOf(resolve(schema.$ref), depth);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((inner) => sampleOf(inner, depth)));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return sampleOf(alternatives[0] as Schema, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'array' || schema.items) return depth > 6 ? [] : [0, 1].map(() => sampleOf(schema.items ?? {}, depth + 1));
  if (type === 'object' || schema.properties) {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, inner]) => [name, sampleOf(inner, depth + 1)]));
  }
  if (type === 'string') return 'x';
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  return 1;
}

const REPLACEMENTS: unknown[] = [null, undefined, 'text', '', 0, -1.5, true, false, [], [null], [{}], {}, { data: [] }];

/** Every value one edit away from `value`: each node replaced, each key removed, each array emptied or padded. */
function* edits(value: unknown): Generator<unknown> {
  for (const replacement of REPLACEMENTS) yield replacement;
  if (Array.isArray(value)) {
    yield [];
    yield [...value, null];
    yield [...value, 'text'];
    for (let i = 0; i < value.length; i++) for (const edited of edits(value[i])) yield value.map((v, j) => (j === i ? edited : v));
    yield Object.fromEntries(value.map((v, i) => [String(i), v]));
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    yield [record];
    for (const name of Object.keys(record)) {
      const { [name]: _, ...rest } = record;
      yield rest;
      for (const edited of edits(record[name])) yield { ...record, [name]: edited };
    }
    yield { ...record, extra: null };
    yield Object.assign(Object.create(null), record);
  }
}

const routes = Object.keys(ROUTES) as RouteKey[];
const oracleRefs = new Map<string, Check>();
const oracles = new Map(routes.map((route) => [route, oracleCompile(successSchema(route) as Schema, oracleRefs)]));

function verdicts(route: RouteKey, answers: Iterable<unknown>): { same: number; differing: string[] } {
  const oracle = oracles.get(route) as Check;
  let same = 0;
  const differing: string[] = [];
  for (const answer of answers) {
    const expected = oracle(answer);
    if (hasResponseShape(route, answer) === expected) same++;
    else differing.push(`${route}: ${JSON.stringify(answer)?.slice(0, 200)} should be ${expected ? 'accepted' : 'refused'}`);
  }
  return { same, differing };
}

describe('the shape check of PharmaOne answers', () => {
  it.each(routes)('%s: a valid answer passes and every answer one edit away gets the old verdict', (route) => {
    const valid = sampleOf(successSchema(route) as Schema);
    expect(hasResponseShape(route, valid)).toBe(true);
    const { same, differing } = verdicts(route, edits(valid));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(same).toBeGreaterThan(REPLACEMENTS.length);
  });

  it.each(routes)('%s: some edit of a valid answer is refused (the comparison is not all acceptances)', (route) => {
    const valid = sampleOf(successSchema(route) as Schema);
    const refused = [...edits(valid)].filter((answer) => !hasResponseShape(route, answer));
    expect(refused.length).toBeGreaterThan(0);
  });

  it('refuses the malformed order list classes by name', () => {
    const route = 'GET /api/v2/public/orgs/{org}/orders' as const;
    const valid = sampleOf(successSchema(route) as Schema) as { data: Record<string, unknown>[]; pagination: object };
    const row = valid.data[0] as Record<string, unknown>;
    const { id: _, ...noId } = row;
    for (const bad of [
      null,
      [],
      'page',
      { pagination: valid.pagination },
      { data: valid.data },
      { data: null, pagination: valid.pagination },
      { data: {}, pagination: valid.pagination },
      { data: [null], pagination: valid.pagination },
      { data: ['row'], pagination: valid.pagination },
      { data: [noId], pagination: valid.pagination },
      { data: [{ ...row, status: null }], pagination: valid.pagination },
      { data: [row, { ...row, total_amount: null }], pagination: valid.pagination },
      { data: valid.data, pagination: null },
      { data: valid.data, pagination: { limit: 1, offset: 0 } },
    ]) {
      expect(hasResponseShape(route, bad), JSON.stringify(bad)).toBe(false);
    }
    // A leaf of the wrong type is its own field's problem, not the page's.
    expect(hasResponseShape(route, { ...valid, data: [{ ...row, total_amount: 'lots', status: 'teleported' }] })).toBe(true);
  });

  it('gives the old verdict on arbitrary JSON values and on rows with arbitrary values', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const orders = 'GET /api/v2/public/orgs/{org}/orders' as const;
    const row = (sampleOf(successSchema(orders) as Schema) as { data: Record<string, unknown>[] }).data[0] as Record<string, unknown>;
    const rows = fc.dictionary(fc.constantFrom(...Object.keys(row), 'other'), json, { maxKeys: 10 }).map((edits) => ({ ...row, ...edits }));
    const differing: string[] = [];
    for (const route of routes) differing.push(...verdicts(route, fc.sample(json, 300)).differing);
    const pages = fc
      .sample(fc.array(rows, { maxLength: 3 }), 2000)
      .map((data) => ({ data, pagination: { limit: 1, offset: 0, total: 1 } }));
    differing.push(...verdicts(orders, pages).differing);
    expect(differing.slice(0, 5)).toEqual([]);
  });
});
