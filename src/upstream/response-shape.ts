// The shape check at the client boundary: every PharmaOne success answer is checked against its
// OpenAPI response schema (src/generated/pharmaone-contract.ts, compiled once per route on first
// use) before anything above this layer sees it. A violation is PharmaOne's fault, reported as
// UPSTREAM_UNAVAILABLE `invalid_response`, never a crash in a resolver.
//
// What is checked: the envelope and the nesting (objects, arrays, `data`, `pagination`), required
// keys, and `null` where the schema does not allow it. What is not: the value of a scalar leaf
// (a string where a number belongs, an unknown enum value, a malformed date). Those fail only their
// own GraphQL field when it is read (hardening class 11), so one odd row does not cost the page.
// Also the closed lists PharmaOne's text may be matched against (error codes, scope names), and
// checkedAnswer(), which turns any answer into either its checked body or the failure it stands for.
import { pharmaoneContract } from '../generated/pharmaone-contract.ts';
import type { UpstreamResponse } from './http.ts';
import type { RouteKey } from './routes.ts';
import { ROUTES } from './routes.ts';
import { UpstreamStatusError, UpstreamUnavailableError } from './upstream-errors.ts';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  'x-extensible-enum'?: unknown[];
};

type Check = (value: unknown) => boolean;

const doc = pharmaoneContract as {
  paths: Record<string, Record<string, { responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }> }>>;
  components: Record<string, Record<string, unknown>>;
};

function resolve<T>(ref: string): T {
  // Only local references (#/components/...) occur in the contract.
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')], doc) as T;
}

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

/** A node that accepts every value (a nullable scalar leaf, say): its parent leaves it out. */
const ANY: Check = () => true;
/** A scalar leaf that may not be null: only null fails it (a wrong-typed leaf is its field's problem). */
const NOT_NULL: Check = (value) => value !== null;

/** One key an object schema names: whether it must be there, and what its value must pass. */
interface Field {
  name: string;
  required: boolean;
  /** The value's check is NOT_NULL: null fails, anything else passes (no call needed). */
  notNull: boolean;
  /** Any other check of the value (undefined: none, or only notNull). */
  check: Check | undefined;
}

/**
 * What a schema (its type, keys, items and allOf) says, as data: the verdict on each kind of
 * value that is not a plain object, and the fields and items checked on the others. Plans of an
 * allOf merge into one, so an answer's row is one call and one loop over its fields.
 */
interface Plan {
  nullOk: boolean;
  /** Strings, numbers, booleans (and anything else that is not an object). */
  scalarOk: boolean;
  arrayOk: boolean;
  objectOk: boolean;
  fields: Field[];
  item: Check | undefined;
}

/** A compiled schema: its check, and its plan unless it has parts no plan holds (anyOf, oneOf). */
interface Compiled {
  check: Check;
  plan: Plan | undefined;
}

const ANY_PLAN: Plan = { nullOk: true, scalarOk: true, arrayOk: true, objectOk: true, fields: [], item: undefined };

function both(a: Check | undefined, b: Check | undefined): Check | undefined {
  return a === undefined ? b : b === undefined ? a : (value) => a(value) && b(value);
}

function merge(a: Plan, b: Plan): Plan {
  return {
    nullOk: a.nullOk && b.nullOk,
    scalarOk: a.scalarOk && b.scalarOk,
    arrayOk: a.arrayOk && b.arrayOk,
    objectOk: a.objectOk && b.objectOk,
    fields: [...a.fields, ...b.fields],
    item: both(a.item, b.item),
  };
}

/** The plan of a schema's own type, keys and items (not its $ref, allOf, anyOf or oneOf). */
function ownPlan(schema: Schema, refs: Map<string, Compiled>): Plan {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  let plan = ANY_PLAN;
  if (types.length > 0) {
    const structural = types.filter((type) => !SCALARS.has(type) && type !== 'null');
    const scalar = types.some((type) => SCALARS.has(type));
    // A scalar leaf: a wrong-typed value is its own field's problem, so only null can fail it.
    // A structural type is `array` or else an object (a non-array object).
    plan = {
      ...ANY_PLAN,
      nullOk: types.includes('null'),
      scalarOk: scalar,
      arrayOk: scalar && structural.length === 0 ? true : structural.includes('array'),
      objectOk: scalar && structural.length === 0 ? true : structural.some((type) => type !== 'array'),
    };
  }
  const required = schema.required ?? [];
  const fields: Field[] = [];
  for (const [name, inner] of Object.entries(schema.properties ?? {})) {
    const { check } = compile(inner, refs);
    if (check === ANY) continue;
    fields.push({ name, required: false, notNull: check === NOT_NULL, check: check === NOT_NULL ? undefined : check });
  }
  // A required key is checked where its field is; a key only required is a field of its own.
  for (const name of required) {
    const field = fields.find((f) => f.name === name && !f.required);
    if (field) field.required = true;
    else fields.push({ name, required: true, notNull: false, check: undefined });
  }
  const item = schema.items ? compile(schema.items, refs).check : ANY;
  return { ...plan, fields, item: item === ANY ? undefined : item };
}

/** A plan as one check: no closure per value, one property read per field of a row. */
function checkOf(plan: Plan): Check {
  const { nullOk, scalarOk, arrayOk, objectOk, fields, item } = plan;
  if (scalarOk && arrayOk && objectOk && fields.length === 0 && item === undefined) return nullOk ? ANY : NOT_NULL;
  return (value) => {
    if (value === null) return nullOk;
    if (typeof value !== 'object') return scalarOk;
    if (Array.isArray(value)) {
      if (!arrayOk) return false;
      if (item !== undefined) for (let i = 0; i < value.length; i++) if (!item(value[i])) return false;
      return true;
    }
    if (!objectOk) return false;
    const record = value as Record<string, unknown>;
    for (let i = 0; i < fields.length; i++) {
      const { name, required, notNull, check } = fields[i] as Field;
      const field = record[name];
      // `undefined` is what an absent key reads as: only then is `in` asked whether it is there.
      if (field === undefined && !(name in record)) {
        if (required) return false;
      } else if ((notNull && field === null) || (check !== undefined && !check(field))) {
        return false;
      }
    }
    return true;
  };
}

/**
 * A schema as one check function. Every upstream answer runs through these (46 per 45-order read),
 * so they are plain loops over what was worked out once here, with no closure made per value.
 */
function compile(schema: Schema, refs: Map<string, Compiled>): Compiled {
  if (schema.$ref) {
    const ref = schema.$ref;
    const known = refs.get(ref);
    if (known) return known;
    let compiled: Check = () => true;
    // Registered before compiling, so a recursive schema refers to itself lazily (and, having no
    // plan yet, is not merged into one).
    refs.set(ref, { check: (value) => compiled(value), plan: undefined });
    const done = compile(resolve<Schema>(ref), refs);
    compiled = done.check;
    // Later schemas using this ref call the compiled check directly.
    refs.set(ref, done);
    return done;
  }
  let plan = ownPlan(schema, refs);
  const others: Check[] = [];
  for (const inner of schema.allOf ?? []) {
    const member = compile(inner, refs);
    if (member.plan) plan = merge(plan, member.plan);
    else others.push(member.check);
  }
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (!alternatives) continue;
    // oneOf is checked as anyOf: leaves are not checked, so two branches may both accept a value.
    const any = alternatives.map((inner) => compile(inner, refs).check);
    if (any.includes(ANY)) continue;
    others.push((value) => {
      for (const check of any) if (check(value)) return true;
      return false;
    });
  }
  const own = checkOf(plan);
  if (others.length === 0) return { check: own, plan };
  const checks = own === ANY ? others : [own, ...others];
  if (checks.length === 1) return { check: checks[0] as Check, plan: undefined };
  return {
    check: (value) => {
      for (const check of checks) if (!check(value)) return false;
      return true;
    },
    plan: undefined,
  };
}

const compiled = new Map<RouteKey, Check>();
const sharedRefs = new Map<string, Compiled>();

/** Whether `body` has the shape of `route`'s success answer. Compiled once per route. */
export function hasResponseShape(route: RouteKey, body: unknown): boolean {
  let check = compiled.get(route);
  if (!check) {
    check = compile(successSchema(route), sharedRefs).check;
    compiled.set(route, check);
  }
  return check(body);
}

/** The JSON schema of a route's 200 (or 201) answer in the contract. */
export function successSchema(route: RouteKey): Schema {
  const space = route.indexOf(' ');
  const operation = doc.paths[route.slice(space + 1)]?.[route.slice(0, space).toLowerCase()];
  const declared = operation?.responses?.['200'] ?? operation?.responses?.['201'];
  if (!declared) throw new Error(`the contract declares no success answer for ${route}`);
  const response = declared.$ref ? resolve<typeof declared>(declared.$ref) : declared;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the contract declares no JSON body for ${route}`);
  return schema;
}

function enumOf(schema: Schema | undefined): Set<string> {
  return new Set((schema?.['x-extensible-enum'] ?? []).filter((value): value is string => typeof value === 'string'));
}

const schemas = doc.components.schemas as Record<string, Schema>;

/** PharmaOne's `error` codes the contract lists: only these may reach a client, as they are. */
export const KNOWN_UPSTREAM_ERROR_CODES: ReadonlySet<string> = enumOf(schemas.Error?.properties?.error);

/** The scope names the contract lists (TokenClaims.scopes): only these may be named to a client. */
export const KNOWN_SCOPES: ReadonlySet<string> = enumOf(schemas.TokenClaims?.properties?.scopes?.items);

/**
 * A success answer whose shape matches the route's OpenAPI schema, or the failure it stands for.
 * Only values from closed, known sets pass from an error body: the error code if the contract
 * lists it, the scope name if it is one, field names for userErrors (mapped to input paths later).
 */
export function checkedAnswer(route: RouteKey, res: UpstreamResponse): unknown {
  const label = ROUTES[route].label;
  if (res.status >= 200 && res.status < 300) {
    if ((res.bodyState !== undefined && res.bodyState !== 'json') || !hasResponseShape(route, res.body)) {
      throw new UpstreamUnavailableError({ route: label, reason: 'invalid_response', mayHaveArrived: true });
    }
    return res.body;
  }
  const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as {
    error?: unknown;
    fields?: unknown;
    required_scope?: unknown;
  };
  const retryAfter = Number(res.headers['retry-after']);
  throw new UpstreamStatusError({
    status: res.status,
    route: label,
    upstreamCode: typeof body.error === 'string' && KNOWN_UPSTREAM_ERROR_CODES.has(body.error) ? body.error : undefined,
    fields: Array.isArray(body.fields)
      ? body.fields.filter((f): f is string => typeof f === 'string' && f.length <= 64).slice(0, 50)
      : undefined,
    requiredScope: typeof body.required_scope === 'string' && KNOWN_SCOPES.has(body.required_scope) ? body.required_scope : undefined,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(Math.ceil(retryAfter), 86_400) : undefined,
  });
}
