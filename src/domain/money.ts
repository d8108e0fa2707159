// Money arithmetic in integer euro cents. PharmaOne sends euros as JSON numbers (8.75) and the
// graph exposes exact decimal strings ("8.75"); every conversion goes through the decimal text
// of a number, never through `euros * 100`, so 0.29 is 29 cents and 0.1 + 0.2 is 30, not
// 30.000000000000004 or 28.999999999999996.

/** A money amount the gateway cannot represent exactly; the message says why, for userErrors. */
export class InvalidAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAmountError';
  }
}

/** Plain decimal text: optional minus, digits, optional fraction. No exponent, no plus, no ".5". */
const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Longer input is not a price; the cap keeps hostile input from costing work. */
const MAX_DECIMAL_LENGTH = 40;

/**
 * The shortest decimal text that reads back as `n` (what JSON.stringify would write, and so what
 * the upstream most likely sent), written out without an exponent: 1e21 → "1000000000000000000000".
 */
export function numberToDecimalText(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InvalidAmountError('the amount is not a finite number');
  const text = Object.is(n, -0) ? '0' : String(n);
  const exponentAt = text.indexOf('e');
  if (exponentAt === -1) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, exponentAt);
  const exponent = Number(text.slice(exponentAt + 1));
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const digits = intPart + fracPart;
  // Position of the decimal point within `digits` after applying the exponent.
  const point = intPart.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

interface DecimalParts {
  negative: boolean;
  intDigits: string;
  fracDigits: string;
}

function splitDecimal(text: string): DecimalParts | null {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return null;
  return { negative: match[1] === '-', intDigits: match[2] ?? '0', fracDigits: match[3] ?? '' };
}

function toSafeCents(negative: boolean, intDigits: string, centDigits: string, roundUp: boolean): number {
  const magnitude = Number(intDigits) * 100 + Number(centDigits.padEnd(2, '0')) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(magnitude)) {
    throw new InvalidAmountError('the amount is too large to count in exact cents');
  }
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

/** Below this magnitude the two-decimal fast path of eurosToCents is exact (see there). */
const FAST_EUROS_LIMIT = 1e9;

/**
 * Euros as PharmaOne sends them (a JSON number) → integer cents. Amounts with more than two
 * decimals (an upstream sum with float noise, 1207.1500000000001) round half away from zero on the
 * decimal text, the way a till rounds; upstream data is tolerated, not rejected.
 */
export function eurosToCents(euros: number): number {
  // The common case, a price with at most two decimals, without the decimal text (one per row).
  // If c / 100 reads back as `euros`, the decimal c/100 rounds to `euros`. Below 1e9 neighbouring
  // doubles are at most 2^-23 apart, so every decimal that rounds to `euros` lies within 2^-24 of
  // it, and any other one with no more digits would be another multiple of 0.01, too far away:
  // c/100 is the shortest text, and the decimal-text path below would answer c as well.
  // Anything else (more decimals, huge, NaN, not a number) takes that path, refusals included.
  if (typeof euros === 'number' && euros < FAST_EUROS_LIMIT && euros > -FAST_EUROS_LIMIT) {
    const cents = Math.round(euros * 100);
    // `+ 0` turns -0 (from -0 euros) into 0, as the decimal text "0" does.
    if (cents / 100 === euros) return cents + 0;
  }
  const parts = splitDecimal(numberToDecimalText(euros));
  if (parts === null) throw new InvalidAmountError('the amount is out of range');
  const { negative, intDigits, fracDigits } = parts;
  const roundUp = (fracDigits[2] ?? '0') >= '5';
  return toSafeCents(negative, intDigits, fracDigits.slice(0, 2), roundUp);
}

/**
 * A caller's amount (a Decimal string such as "98.25", or a JSON number) → integer cents. Unlike
 * upstream data this never rounds: more than two significant decimals ("0.001"), exponent forms
 * ("1e3"), blanks and NaN are rejected, because silently rounding a price changes an order.
 * Trailing zeros are fine ("98.250" is 9825 cents).
 */
export function decimalToCents(value: string | number): number {
  let text: string;
  if (typeof value === 'number') text = numberToDecimalText(value);
  else if (typeof value === 'string') text = value;
  else throw new InvalidAmountError('an amount must be a decimal string or a number');
  const parts = text.length > MAX_DECIMAL_LENGTH ? null : splitDecimal(text);
  if (parts === null) {
    throw new InvalidAmountError('the amount is not a plain decimal amount such as "98.25"');
  }
  const { negative, intDigits, fracDigits } = parts;
  if (/[^0]/.test(fracDigits.slice(2))) {
    throw new InvalidAmountError('the amount has more than 2 decimal places');
  }
  return toSafeCents(negative, intDigits, fracDigits.slice(0, 2), false);
}

function assertCents(cents: number, what: string): void {
  if (!Number.isSafeInteger(cents)) throw new InvalidAmountError(`${what} must be a whole number of cents`);
}

/** Integer cents → the exact decimal string the graph shows: 9825 → "98.25", 5 → "0.05", -5 → "-0.05". */
export function centsToDecimal(cents: number): string {
  assertCents(cents, 'an amount');
  // Whole cents below 2^53: the remainder and the quotient are exact, with no string padding.
  const magnitude = Math.abs(cents);
  const fraction = magnitude % 100;
  return `${cents < 0 ? '-' : ''}${(magnitude - fraction) / 100}.${fraction < 10 ? '0' : ''}${fraction}`;
}

/** Euros from PharmaOne → the graph's decimal string, via cents (report sums, catalog prices). */
export function eurosToDecimal(euros: number): string {
  return centsToDecimal(eurosToCents(euros));
}

/** Sum of cent amounts; throws rather than losing precision past Number.MAX_SAFE_INTEGER. */
export function sumCents(amounts: Iterable<number>): number {
  let total = 0;
  for (const cents of amounts) {
    assertCents(cents, 'each amount');
    total += cents;
    assertCents(total, 'the sum');
  }
  return total;
}

/** A line's total: quantity × unit price, exact in cents. */
export function lineTotalCents(quantity: number, unitCents: number): number {
  if (!Number.isSafeInteger(quantity)) throw new InvalidAmountError('quantity must be a whole number');
  assertCents(unitCents, 'the unit price');
  const total = quantity * unitCents;
  assertCents(total, 'the line total');
  // -0 would print as "0.00" anyway, but keeps equality checks honest.
  return total === 0 ? 0 : total;
}

/** The largest amount GraphQL's 32-bit Int can carry in `Money.cents`: €21,474,836.47. */
export const MAX_INT_CENTS = 2 ** 31 - 1;
