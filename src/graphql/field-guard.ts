// One rule for every field of the graph: a value that cannot be represented fails only its own
// field, and the error names the field, never the value. PharmaOne's values are hostile input: a
// `created_at` may hold a customer's name and street, a `total_amount` may be "abc" or beyond any
// integer. graphql-js would put such a value into its serialization message ("DateTime cannot
// represent …", "Int cannot represent non 32-bit signed integer value: …"), which goes to the
// client and the log; here every leaf value is checked against its type before graphql-js sees
// it, and a domain error about an upstream amount becomes the same value-free error.
import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  getNamedType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import type { GraphQLFieldResolver, GraphQLOutputType, GraphQLSchema } from 'graphql';
import { defaultFieldResolver } from 'graphql';
import { InvalidAmountError } from '../domain/money.ts';
import { textInputProblems } from '../writes/validate-input.ts';

/** The code and reason a malformed PharmaOne answer gets (docs/security.md, "Upstream boundary"). */
export const UNREPRESENTABLE_UPSTREAM_VALUE = { code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' } as const;

export function unrepresentableUpstreamValue(typeName: string, fieldName: string, expected: string): GraphQLError {
  return new GraphQLError(`PharmaOne sent a value for ${typeName}.${fieldName} that is not a valid ${expected}; the field is null.`, {
    extensions: { ...UNREPRESENTABLE_UPSTREAM_VALUE },
  });
}

/**
 * Wraps every resolver of `schema` (in place) with the rule above, and every mutation with the
 * text rule of src/writes/validate-input.ts: a mutation whose arguments carry unsafe text anywhere
 * answers its payload's `userErrors` without running (so without any upstream call). Every
 * mutation payload has `userErrors` (the SDL's convention).
 */
export function guardFields(schema: GraphQLSchema): GraphQLSchema {
  const mutationType = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      // An object or list of objects read from a property of a REST object or a mapped value (no
      // getters, no functions) can be neither unrepresentable nor a failed amount: left unwrapped,
      // so graphql-jit reads the property directly instead of calling a resolver.
      if (!field.resolve && !isLeafType(getNamedType(field.type)) && type !== mutationType) continue;
      const resolve = guarded(type.name, field.name, field.type, field.resolve ?? defaultFieldResolver);
      field.resolve =
        type === mutationType
          ? (source, args, context, info) => {
              const userErrors = textInputProblems(args, field.args);
              return userErrors.length > 0 ? { userErrors } : resolve(source, args, context, info);
            }
          : resolve;
    }
  }
  return schema;
}

function guarded(
  typeName: string,
  fieldName: string,
  type: GraphQLOutputType,
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  const named = getNamedType(type);
  const fail = () => unrepresentableUpstreamValue(typeName, fieldName, named.name);
  const translate = (error: unknown): never => {
    throw error instanceof InvalidAmountError ? fail() : error;
  };
  // An object field has nothing to check (its fields are checked in turn); a leaf's check is
  // decided here, once per field.
  const represents = isLeafType(named) ? representableAs(type) : undefined;
  // The answers of most leaf fields (ids, names, raw statuses) pass here without a call: graphql-jit
  // runs this wrapper for every field of every row. No such value is a promise.
  const passesAsIs = represents && typeofPassingAsIs(isNonNullType(type) ? type.ofType : type);
  const check = (value: unknown) => {
    if (represents && !represents(value)) throw fail();
    return value;
  };
  return (source, args, context, info) => {
    let result: unknown;
    try {
      result = resolve(source, args, context, info);
    } catch (error) {
      translate(error);
    }
    if (typeof result === passesAsIs) return result;
    if (result instanceof Promise) return represents ? result.then(check, translate) : result.catch(translate);
    if (!represents || represents(result)) return result;
    throw fail();
  };
}

/**
 * Whether graphql-js can serialize a value as `type` (null is left to graphql-js's own non-null
 * rule). The type is read once per field, not per value. A value graphql-js serializes for sure
 * (a string for String, an int32 for Int, one of an enum's values, …) passes without the
 * serializer's throw and catch; every other value gets the serializer's own verdict.
 * test/unit/field-guard.test.ts holds this to the per-call walk of the type it replaced.
 */
export function representableAs(type: GraphQLOutputType): (value: unknown) => boolean {
  if (isNonNullType(type)) return representableAs(type.ofType);
  if (isListType(type)) {
    const item = representableAs(type.ofType);
    return (value) => {
      if (value === null || value === undefined) return true;
      if (typeof value !== 'object' || !(Symbol.iterator in value)) return false;
      for (const entry of value as Iterable<unknown>) if (!item(entry)) return false;
      return true;
    };
  }
  if (!isLeafType(type)) return () => true;
  const serializes = (value: unknown) => {
    if (value === null || value === undefined) return true;
    try {
      type.serialize(value);
      return true;
    } catch {
      return false;
    }
  };
  if (type === GraphQLString || type === GraphQLID) return (value) => typeof value === 'string' || serializes(value);
  if (type === GraphQLBoolean) return (value) => typeof value === 'boolean' || serializes(value);
  if (type === GraphQLInt) return (value) => (typeof value === 'number' && isInt32(value)) || serializes(value);
  if (type === GraphQLFloat) return (value) => (typeof value === 'number' && Number.isFinite(value)) || serializes(value);
  if (isEnumType(type)) {
    const values = type.getValues().map((value) => value.value);
    return (value) => values.includes(value) || serializes(value);
  }
  return serializes;
}

/** The `typeof` of the values a leaf (not list) type represents as they are, if one says so alone. */
function typeofPassingAsIs(type: GraphQLOutputType): 'string' | 'boolean' | undefined {
  if (type === GraphQLString || type === GraphQLID) return 'string';
  return type === GraphQLBoolean ? 'boolean' : undefined;
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value <= 2_147_483_647 && value >= -2_147_483_648;
}
