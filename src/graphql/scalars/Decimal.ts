// The Decimal scalar: an exact decimal number carried as a JSON string ("98.25"), because a JSON
// number would be read as a binary float by most clients and 0.1 + 0.2 is not 0.3 there.
// Decision: the scalar is generic (any number of decimals); money rules (at most 2 decimals,
// ≥ 0) belong to the mutation's validation, which reports them as userErrors with a field path
// instead of failing the whole request. It never rounds and never does arithmetic.
import { GraphQLError, GraphQLScalarType, Kind, print } from 'graphql';
import type { ValueNode } from 'graphql';
import { numberToDecimalText } from '../../domain/money.ts';

const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?$/;
/** Longer text is no amount anyone means; the cap bounds the work hostile input can cause. */
const MAX_LENGTH = 64;

export const DECIMAL_DESCRIPTION =
  'An exact decimal number as a string, e.g. `"98.25"` (euros in money fields). Output is always a string; input may be a string or a JSON number, and is handed to the gateway as exact decimal text (`25.5` becomes `"25.5"`). Plain notation only: an optional minus sign, digits, and an optional fraction; no exponent (`"1e3"`), no plus sign, no thousands separators.';

/** Whether `value` is plain decimal text this scalar accepts. */
export function isDecimalText(value: string): boolean {
  return value.length <= MAX_LENGTH && DECIMAL_TEXT.test(value);
}

function invalid(value: unknown, node?: ValueNode): GraphQLError {
  const shown = node === undefined ? (JSON.stringify(value) ?? String(value)) : print(node);
  return new GraphQLError(
    `Decimal must be a plain decimal string such as "98.25" (or a JSON number), got ${shown.slice(0, 80)}`,
    node === undefined ? {} : { nodes: node },
  );
}

function parseDecimal(value: unknown, node?: ValueNode): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = numberToDecimalText(value);
    if (isDecimalText(text)) return text;
  }
  if (typeof value === 'string' && isDecimalText(value)) return value;
  throw invalid(value, node);
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: DECIMAL_DESCRIPTION,
  serialize(value) {
    if (typeof value === 'string' && isDecimalText(value)) return value;
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return String(value);
    // A fractional JS number here means a resolver did float arithmetic on money: fail loudly, but
    // never with the value in the message (output values may come from PharmaOne).
    throw new GraphQLError(
      `Decimal fields are produced as exact strings (see src/domain/money.ts centsToDecimal / eurosToDecimal), got a ${typeof value}`,
    );
  },
  parseValue(value) {
    return parseDecimal(value);
  },
  parseLiteral(node) {
    if (node.kind === Kind.STRING) return parseDecimal(node.value, node);
    // Literal numbers are kept as written ("25.50"), never passed through a float.
    if (node.kind === Kind.FLOAT || node.kind === Kind.INT) {
      if (isDecimalText(node.value)) return node.value;
    }
    throw invalid(undefined, node);
  },
});
