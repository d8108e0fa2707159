// eurosToCents and centsToDecimal take arithmetic short cuts for the common amounts. These tests
// hold them to the decimal-text implementation they replaced, copied here as the oracle: the same
// cents or text for every input, and the same refusal (class and message) for every other one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidAmountError, centsToDecimal, eurosToCents, eurosToDecimal } from '../../src/domain/money.ts';

// ---- The oracle: src/domain/money.ts before the short cuts, verbatim. ----

function oracleNumberToDecimalText(n: number): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new InvalidAmountError('the amount is not a finite number');
  const text = Object.is(n, -0) ? '0' : String(n);
  const exponentAt = text.indexOf('e');
  if (exponentAt === -1) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, exponentAt);
  const exponent = Number(text.slice(exponentAt + 1));
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${plain}` : plain;
}

function oracleSplitDecimal(text: string) {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) return null;
  return { negative: match[1] === '-', intDigits: match[2] ?? '0', fracDigits: match[3] ?? '' };
}

function oracleToSafeCents(negative: boolean, intDigits: string, centDigits: string, roundUp: boolean): number {
  const magnitude = Number(intDigits) * 100 + Number(centDigits.padEnd(2, '0')) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(magnitude)) {
    throw new InvalidAmountError('the amount is too large to count in exact cents');
  }
  return negative && magnitude !== 0 ? -magnitude : magnitude;
}

function oracleEurosToCents(euros: number): number {
  const parts = oracleSplitDecimal(oracleNumberToDecimalText(euros));
  if (parts === null) throw new InvalidAmountError('the amount is out of range');
  const { negative, intDigits, fracDigits } = parts;
  const roundUp = (fracDigits[2] ?? '0') >= '5';
  return oracleToSafeCents(negative, intDigits, fracDigits.slice(0, 2), roundUp);
}

function oracleCentsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new InvalidAmountError('an amount must be a whole number of cents');
  const magnitude = String(Math.abs(cents)).padStart(3, '0');
  const sign = cents < 0 ? '-' : '';
  return `${sign}${magnitude.slice(0, -2)}.${magnitude.slice(-2)}`;
}

// ---- Comparison: the value (with its sign: -0 is not 0), or the refusal. ----

/** The value (with its sign: -0 is not 0) or the refusal (class and message), as one comparable text. */
function outcome(run: () => unknown): string {
  try {
    const value = run();
    return Object.is(value, -0) ? 'value -0' : `value ${typeof value} ${String(value)}`;
  } catch (error) {
    return `refused ${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

/** Inputs where the short cuts and the oracle differ, with both answers (expected: none). */
const differences: string[] = [];

function sameEuros(euros: unknown): void {
  const expected = outcome(() => oracleEurosToCents(euros as number));
  const actual = outcome(() => eurosToCents(euros as number));
  if (actual !== expected) differences.push(`eurosToCents(${String(euros)}): ${actual}, expected ${expected}`);
  const expectedText = outcome(() => oracleCentsToDecimal(oracleEurosToCents(euros as number)));
  const actualText = outcome(() => eurosToDecimal(euros as number));
  if (actualText !== expectedText) differences.push(`eurosToDecimal(${String(euros)}): ${actualText}, expected ${expectedText}`);
}

function sameCents(cents: unknown): void {
  const expected = outcome(() => oracleCentsToDecimal(cents as number));
  const actual = outcome(() => centsToDecimal(cents as number));
  if (actual !== expected) differences.push(`centsToDecimal(${String(cents)}): ${actual}, expected ${expected}`);
}

/** Runs the comparisons `check` makes and fails with the first differences found. */
function agree(check: () => void): void {
  differences.length = 0;
  check();
  expect(differences.slice(0, 10)).toEqual([]);
}

const UNUSUAL: unknown[] = [
  0,
  -0,
  1e-7,
  -1e-7,
  5e-324,
  -5e-324,
  0.001,
  -0.001,
  0.004,
  0.005,
  -0.005,
  0.0049999,
  0.015,
  0.1 + 0.2,
  0.29,
  1.005,
  -1.005,
  1.15,
  4.35,
  8.75,
  98.25,
  1207.1500000000001,
  1207.15,
  0.07,
  0.7,
  7,
  -7,
  1e2,
  1e-2,
  1e-3,
  1.5e-7,
  999_999_999.99,
  -999_999_999.99,
  999_999_999.995,
  1e9,
  -1e9,
  1e9 - 0.01,
  1e9 + 0.01,
  1_000_000_000.01,
  2 ** 30,
  2 ** 31 / 100,
  90_071_992_547_409.91,
  90_071_992_547_409.92,
  90_071_992_547_409.94,
  7e13 + 0.01,
  1e13,
  1e15,
  1e16,
  1e20,
  1e21,
  -1e21,
  1e300,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER / 100,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.EPSILON,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  '8.75',
  '',
  '1e3',
  null,
  undefined,
  true,
  {},
  [],
  8n,
];

describe('eurosToCents short cut', () => {
  it('answers and refuses as the decimal-text implementation for unusual values', () => {
    agree(() => {
      for (const euros of UNUSUAL) sameEuros(euros);
    });
  });

  it('agrees on every cent amount up to ±€2000, as is and with float noise added', () => {
    agree(() => {
      for (let cents = -200_000; cents <= 200_000; cents++) {
        const euros = cents / 100;
        sameEuros(euros);
        sameEuros(euros + 1e-9);
        sameEuros(euros * 1.0000000000000002);
      }
    });
  });

  it('agrees on upstream sums with float noise (0.1 + 0.2 and the like)', () => {
    const parts = fc.array(fc.integer({ min: -10_000_000, max: 10_000_000 }), { minLength: 2, maxLength: 12 });
    agree(() => {
      for (const cents of fc.sample(parts, 20_000)) sameEuros(cents.reduce((sum, part) => sum + part / 100, 0));
    });
  });

  it('agrees on amounts with three or more decimals, on both sides of half a cent', () => {
    const amounts = fc.tuple(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), fc.integer({ min: 3, max: 9 }));
    agree(() => {
      for (const [digits, decimals] of fc.sample(amounts, 20_000)) sameEuros(digits / 10 ** decimals);
    });
  });

  it('agrees on cent amounts near and past the short cut limit (1e9) and 2^53 cents', () => {
    agree(() => {
      for (const around of [1e9, 2 ** 30, 2 ** 31, 2 ** 46 / 100, 2 ** 53 / 100, 1e14, 1e15]) {
        for (let step = -3000; step <= 3000; step++) {
          sameEuros(around + step / 100);
          sameEuros(-(around + step / 100));
        }
      }
      for (const cents of fc.sample(fc.integer({ min: -(2 ** 53), max: 2 ** 53 }), 20_000)) sameEuros(cents / 100);
    });
  });

  it('agrees on any double', () => {
    agree(() => {
      for (const euros of fc.sample(fc.double(), 50_000)) sameEuros(euros);
    });
  });
});

describe('centsToDecimal short cut', () => {
  it('writes and refuses as the padded-text implementation', () => {
    const extremes = [1, 5, 9, 10, 99, 100, 101, 999, 1000, -1, -99, -100, -101, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53)];
    agree(() => {
      for (const cents of [...UNUSUAL, ...extremes]) sameCents(cents);
      for (let cents = -20_000; cents <= 20_000; cents++) sameCents(cents);
      for (const cents of fc.sample(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.double()), 50_000)) sameCents(cents);
    });
  });
});
