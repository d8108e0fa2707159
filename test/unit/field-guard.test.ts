// The field guard decides per field, once, how a resolved value is checked (src/graphql/field-guard.ts);
// it used to walk the field's type on every call. The class: for every leaf type of the real
// schema under every wrapper, and every value PharmaOne or a resolver could hand it, the guarded
// resolver answers exactly what the per-call walk answered: the same value, or the same error.
// The walk is kept here, verbatim, as the reference.
import {
  GraphQLBoolean,
  GraphQLError,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  defaultFieldResolver,
  getNamedType,
  isEnumType,
  isIntrospectionType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import type { GraphQLFieldResolver, GraphQLLeafType, GraphQLOutputType, GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { InvalidAmountError } from '../../src/domain/money.ts';
import { guardFields, representableAs, unrepresentableUpstreamValue } from '../../src/graphql/field-guard.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';

function referenceGuarded(
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

function representable(type: GraphQLOutputType, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (isNonNullType(type)) return representable(type.ofType, value);
  if (isListType(type)) {
    if (typeof value !== 'object' || !(Symbol.iterator in value)) return false;
    for (const item of value as Iterable<unknown>) if (!representable(type.ofType, item)) return false;
    return true;
  }
  if (!isLeafType(type)) return true;
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

const gateway = buildGatewaySchema();
const LEAVES = Object.values(gateway.getTypeMap()).filter(
  (type): type is GraphQLLeafType => isLeafType(type) && !isIntrospectionType(type),
);
const WRAPPERS: ((leaf: GraphQLLeafType) => GraphQLOutputType)[] = [
  (leaf) => leaf,
  (leaf) => new GraphQLNonNull(leaf),
  (leaf) => new GraphQLList(leaf),
  (leaf) => new GraphQLList(new GraphQLNonNull(leaf)),
  (leaf) => new GraphQLNonNull(new GraphQLList(leaf)),
  (leaf) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(leaf))),
  (leaf) => new GraphQLList(new GraphQLList(leaf)),
  (leaf) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(leaf))))),
];

const enumValues = LEAVES.filter(isEnumType).flatMap((type) => type.getValues().flatMap((value) => [value.value, value.name]));
const SCALARS: unknown[] = [
  ...[null, undefined, '', ' ', 'abc', 'Customer 0', 'ord_1000', 'unknown_status', 'pending', 'shipped', 'paid'],
  ...[true, false, 'true', 'false', 0, -0, 1, -1, 42, 1.5, 98.25, -0.05, 0.1 + 0.2, Number.NaN, Infinity, -Infinity],
  ...[2_147_483_647, 2_147_483_648, -2_147_483_648, -2_147_483_649, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, 1e308, -1e308],
  ...['1', '42', '-7', '0.5', '98.25', '-0.05', '79782936.62', '1e3', '1e400', '+1', '1.', '.5', '0x1A', 'NaN', 'Infinity'],
  ...['9'.repeat(64), '9'.repeat(65), `1.${'0'.repeat(63)}`],
  ...['2026-06-14T10:05:55.806759Z', '2026-06-14T10:05:55Z', '2026-06-14T12:05:55+02:00', '2026-06-14T10:05:55.806759'],
  ...[
    '2026-13-45T00:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-06-14T24:00:00Z',
    '2026-06-14',
    '1984-03-07',
    '2026-02-30',
    'Jane Doe, Main St 1',
  ],
  ...enumValues,
  ...[{}, { a: 1 }, { valueOf: 'x' }, { toJSON: 1 }, { length: 1, 0: 'a' }],
];
const VALUES: unknown[] = [
  ...SCALARS,
  ...SCALARS.map((value) => [value]),
  ...SCALARS.map((value) => [[value]]),
  ...[[], [[]], ['a', 'b'], [1, 2], ['PENDING', 'abc'], [null], [[null]], [undefined], ['a', ['b']], [['a'], 'b'], [1, 'x', true]],
];

/** What a resolver's call answers: its value, or its error (message and extensions) and whether it was thrown or a rejection. */
function outcome(run: () => unknown): unknown {
  let answer: unknown;
  try {
    answer = run();
  } catch (error) {
    return { thrown: describeError(error) };
  }
  if (!(answer instanceof Promise)) return { value: answer };
  return answer.then(
    (value) => ({ resolved: value }),
    (error) => ({ rejected: describeError(error) }),
  );
}

function describeError(error: unknown): unknown {
  return error instanceof GraphQLError
    ? { graphql: error.message, extensions: error.extensions }
    : { other: error instanceof Error ? `${error.name}: ${error.message}` : error };
}

/** The ways a resolver can answer `value`. */
const RESOLVERS: [string, (value: unknown) => unknown][] = [
  ['returns', (value) => value],
  ['resolves to', (value) => Promise.resolve(value)],
  [
    'throws an amount error instead of',
    () => {
      throw new InvalidAmountError('the amount is not a finite number');
    },
  ],
  ['rejects with an amount error instead of', () => Promise.reject(new InvalidAmountError('the amount is out of range'))],
  [
    'throws another error instead of',
    () => {
      throw new GraphQLError('PharmaOne is unavailable');
    },
  ],
];

const info = {} as GraphQLResolveInfo;

describe('field guard: the per-field check agrees with the per-call walk', () => {
  it.each(LEAVES.map((leaf) => [leaf.name, leaf]))('for %s under every wrapper and every value', (_, leaf) => {
    const disagreements: string[] = [];
    let accepted = 0;
    let refused = 0;
    for (const type of WRAPPERS.map((wrap) => wrap(leaf))) {
      const represents = representableAs(type);
      for (const value of VALUES) {
        const expected = representable(type, value);
        if (represents(value) !== expected) disagreements.push(`${String(type)} ${String(JSON.stringify(value))}`);
        if (expected) accepted++;
        else refused++;
      }
    }
    expect(disagreements).toEqual([]);
    // Both verdicts occur for every leaf: the table is no table of one kind.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it.each(RESOLVERS)('a guarded resolver that %s each value answers as before, for every leaf and wrapper', async (_, answer) => {
    const resolveValue = (source: unknown) => answer((source as { value: unknown }).value);
    const types = [...LEAVES.flatMap((leaf) => WRAPPERS.map((wrap) => wrap(leaf))), gateway.getType('Money') as GraphQLOutputType];
    const query = new GraphQLObjectType({
      name: 'Query',
      fields: Object.fromEntries(types.map((type, i) => [`f${i}`, { type, resolve: resolveValue }])),
    });
    const fields = guardFields(new GraphQLSchema({ query })).getQueryType()?.getFields() ?? {};
    // Tens of thousands of errors are made here; their stacks are not compared, only their text.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const pairs: Promise<unknown[]>[] = [];
    for (const [i, type] of types.entries()) {
      const guarded = fields[`f${i}`]?.resolve ?? defaultFieldResolver;
      const reference = referenceGuarded('Query', `f${i}`, type, resolveValue);
      for (const value of VALUES) {
        pairs.push(
          Promise.all([type, value, outcome(() => guarded({ value }, {}, {}, info)), outcome(() => reference({ value }, {}, {}, info))]),
        );
      }
    }
    const answers = await Promise.all(pairs).finally(() => {
      Error.stackTraceLimit = stackTraceLimit;
    });
    const differences = answers.filter(([, , now, before]) => !sameOutcome(now, before));
    expect(differences).toEqual([]);
  });
});

/** The same kind of answer; the same value to the object (a list is handed on as it came), or the same error. */
function sameOutcome(now: unknown, before: unknown): boolean {
  const [[kind, answer] = []] = Object.entries(now as object);
  const [[kindBefore, answerBefore] = []] = Object.entries(before as object);
  if (kind !== kindBefore) return false;
  return kind === 'value' || kind === 'resolved'
    ? Object.is(answer, answerBefore)
    : JSON.stringify(answer) === JSON.stringify(answerBefore);
}
