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
  const check = isLeafType(named)
    ? (value: unknown) => {
        if (!representable(type, value)) throw fail();
        return value;
      }
    : undefined;
  return (source, args, context, info) => {
    let result: unknown;
    try {
      result = resolve(source, args, context, info);
    } catch (error) {
      translate(error);
    }
    if (result instanceof Promise) return check ? result.then(check, translate) : result.catch(translate);
    return check ? check(result) : result;
  };
}

/** Whether graphql-js can serialize `value` as `type` (null is left to graphql-js's own non-null rule). */
function representable(type: GraphQLOutputType, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (isNonNullType(type)) return representable(type.ofType, value);
  if (isListType(type)) {
    if (typeof value !== 'object' || !(Symbol.iterator in value)) return false;
    for (const item of value as Iterable<unknown>) if (!representable(type.ofType, item)) return false;
    return true;
  }
  if (!isLeafType(type)) return true;
  // What graphql-js serializes for sure, decided without its serializer's throw and catch (the
  // common case: the value is already of the type); everything else goes through the serializer.
  if (typeof value === 'string' ? type === GraphQLString || type === GraphQLID : typeof value === 'boolean' && type === GraphQLBoolean)
    return true;
  if (typeof value === 'number' && (type === GraphQLFloat ? Number.isFinite(value) : type === GraphQLInt && isInt32(value))) return true;
  try {
    type.serialize(value);
    return true;
  } catch {
    return false;
  }
}

function isInt32(value: number): boolean {
  return Number.isInteger(value) && value <= 2_147_483_647 && value >= -2_147_483_648;
}
