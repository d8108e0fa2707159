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

/**
 * A schema as one check function. Every upstream answer runs through these (46 per 45-order read),
 * so they are plain loops over what was worked out once here, with no closure made per value.
 */
function compile(schema: Schema, refs: Map<string, Check>): Check {
  if (schema.$ref) {
    const ref = schema.$ref;
    const known = refs.get(ref);
    if (known) return known;
    let compiled: Check = () => true;
    // Registered before compiling, so a recursive schema refers to itself lazily.
    refs.set(ref, (value) => compiled(value));
    compiled = compile(resolve<Schema>(ref), refs);
    // Later schemas using this ref call the compiled check directly.
    refs.set(ref, compiled);
    return compiled;
  }
  const checks: Check[] = [];
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 0) {
    const allowsNull = types.includes('null');
    const structural = types.filter((type) => !SCALARS.has(type) && type !== 'null');
    const scalar = types.some((type) => SCALARS.has(type));
    // A structural type is `array` or else an object (a non-array object).
    const allowsArray = structural.includes('array');
    const allowsObject = structural.some((type) => type !== 'array');
    if (scalar && structural.length === 0) {
      // A scalar leaf: a wrong-typed value is its own field's problem, so only null can fail it.
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
    .map(([name, inner]) => [name, compile(inner, refs)] as const)
    .filter(([, check]) => check !== ANY);
  if (required.length > 0 || properties.length > 0) {
    checks.push((value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return true; // the type check speaks
      const record = value as Record<string, unknown>;
      for (const name of required) if (!(name in record)) return false;
      for (const [name, check] of properties) if (name in record && !check(record[name])) return false;
      return true;
    });
  }
  const item = schema.items ? compile(schema.items, refs) : ANY;
  if (item !== ANY) {
    checks.push((value) => {
      if (!Array.isArray(value)) return true;
      for (const element of value) if (!item(element)) return false;
      return true;
    });
  }
  const all = (schema.allOf ?? []).map((inner) => compile(inner, refs)).filter((check) => check !== ANY);
  if (all.length > 0) {
    checks.push((value) => {
      for (const check of all) if (!check(value)) return false;
      return true;
    });
  }
  for (const alternatives of [schema.anyOf, schema.oneOf]) {
    if (!alternatives) continue;
    // oneOf is checked as anyOf: leaves are not checked, so two branches may both accept a value.
    const any = alternatives.map((inner) => compile(inner, refs));
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

const compiled = new Map<RouteKey, Check>();
const sharedRefs = new Map<string, Check>();

/** Whether `body` has the shape of `route`'s success answer. Compiled once per route. */
export function hasResponseShape(route: RouteKey, body: unknown): boolean {
  let check = compiled.get(route);
  if (!check) {
    check = compile(successSchema(route), sharedRefs);
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
