import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidAmountError,
  MAX_INT_CENTS,
  centsToDecimal,
  decimalToCents,
  eurosToCents,
  eurosToDecimal,
  lineTotalCents,
  numberToDecimalText,
  sumCents,
} from '../../src/domain/money.ts';

const seed = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8'));

describe('eurosToCents', () => {
  it('converts the seed prices to exact cents', () => {
    expect(eurosToCents(8.75)).toBe(875);
    expect(eurosToCents(98.25)).toBe(9825);
    expect(eurosToCents(5.1)).toBe(510);
    expect(eurosToCents(25.5)).toBe(2550);
  });

  it('does not drift where euros × 100 would', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(eurosToCents(0.29)).toBe(29);
    expect(eurosToCents(0.1 + 0.2)).toBe(30);
    expect(eurosToCents(1.15)).toBe(115);
    expect(eurosToCents(4.35)).toBe(435);
  });

  it('rounds more than two decimals half away from zero on the decimal text', () => {
    expect(eurosToCents(1.005)).toBe(101);
    expect(eurosToCents(1.004)).toBe(100);
    expect(eurosToCents(-1.005)).toBe(-101);
    expect(eurosToCents(0.001)).toBe(0);
    expect(eurosToCents(-0.001)).toBe(0);
    expect(Object.is(eurosToCents(-0.001), -0)).toBe(false);
  });

  it('keeps report sums beyond 32 bits exact (the seed dashboard)', () => {
    const dashboard = seed('13-dashboard.json') as { data: { shop_performance: { total_revenue: number }[] } };
    const revenue = dashboard.data.shop_performance[0]?.total_revenue ?? Number.NaN;
    expect(eurosToCents(revenue)).toBe(7_978_293_662);
    expect(eurosToDecimal(revenue)).toBe('79782936.62');
  });

  it('handles zero, negatives, exponent-sized and tiny numbers', () => {
    expect(eurosToCents(0)).toBe(0);
    expect(eurosToCents(-0)).toBe(0);
    expect(eurosToCents(-12.34)).toBe(-1234);
    expect(eurosToCents(1e-7)).toBe(0);
    expect(eurosToCents(5e-324)).toBe(0);
    expect(eurosToCents(1e13)).toBe(1e15);
  });

  it('rejects non-finite numbers and amounts that cannot be counted exactly in cents', () => {
    expect(() => eurosToCents(Number.NaN)).toThrow(InvalidAmountError);
    expect(() => eurosToCents(Number.POSITIVE_INFINITY)).toThrow(InvalidAmountError);
    expect(() => eurosToCents(1e21)).toThrow(/too large/);
  });

  it('maps every cent amount written as euros back to the same cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), (cents) => {
        expect(eurosToCents(cents / 100)).toBe(cents);
      }),
    );
  });
});

describe('decimalToCents', () => {
  it('reads decimal strings and JSON numbers exactly', () => {
    expect(decimalToCents('98.25')).toBe(9825);
    expect(decimalToCents('0.05')).toBe(5);
    expect(decimalToCents('5.1')).toBe(510);
    expect(decimalToCents('7')).toBe(700);
    expect(decimalToCents('-3.50')).toBe(-350);
    expect(decimalToCents(25.5)).toBe(2550);
    expect(decimalToCents(0.29)).toBe(29);
  });

  it('accepts trailing zeros beyond two decimals, which change nothing', () => {
    expect(decimalToCents('98.250')).toBe(9825);
  });

  it('rejects more than two significant decimals instead of rounding a price', () => {
    expect(() => decimalToCents('0.001')).toThrow(/more than 2 decimal places/);
    expect(() => decimalToCents('98.255')).toThrow(InvalidAmountError);
    expect(() => decimalToCents(0.1 + 0.2)).toThrow(/more than 2 decimal places/);
  });

  it('rejects exponent forms, blanks, signs, separators and NaN', () => {
    for (const bad of ['1e3', '1E-2', '', ' 1.00', '+1.00', '1,00', '1.', '.5', 'NaN', 'Infinity', '0x10', '1 000']) {
      expect(() => decimalToCents(bad), bad).toThrow(InvalidAmountError);
    }
    expect(() => decimalToCents(Number.NaN)).toThrow(InvalidAmountError);
    expect(() => decimalToCents('9'.repeat(41))).toThrow(/not a plain decimal/);
  });

  it('rejects values that are neither strings nor numbers', () => {
    expect(() => decimalToCents(null as unknown as string)).toThrow(/decimal string or a number/);
  });
});

describe('centsToDecimal', () => {
  it('always writes two decimals', () => {
    expect(centsToDecimal(9825)).toBe('98.25');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(50)).toBe('0.50');
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(100)).toBe('1.00');
  });

  it('writes negative amounts with a leading minus', () => {
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(-9825)).toBe('-98.25');
  });

  it('rejects fractional cents', () => {
    expect(() => centsToDecimal(1.5)).toThrow(InvalidAmountError);
  });

  it('round-trips with decimalToCents for every safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (cents) => {
        expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -MAX_INT_CENTS - 1, max: MAX_INT_CENTS }), (cents) => {
        expect(decimalToCents(centsToDecimal(cents))).toBe(cents);
      }),
    );
  });
});

describe('sums and line totals', () => {
  it('multiplies a seed line exactly: 11 × €8.75 = €96.25', () => {
    const order = seed('04-order-detail.json') as { items: { quantity: number; price: number }[] };
    const line = order.items[0] ?? { quantity: 0, price: 0 };
    expect(centsToDecimal(lineTotalCents(line.quantity, eurosToCents(line.price)))).toBe('96.25');
  });

  it('sums what float addition gets wrong', () => {
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(sumCents([10, 20, 30])).toBe(60);
    expect(sumCents([])).toBe(0);
    expect(sumCents(new Set([-5, 5]))).toBe(0);
  });

  it('rejects sums and products past Number.MAX_SAFE_INTEGER instead of losing cents', () => {
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(/the sum/);
    expect(() => lineTotalCents(2 ** 30, 2 ** 30)).toThrow(/line total/);
    expect(() => lineTotalCents(1.5, 100)).toThrow(/quantity/);
    expect(() => sumCents([0.5])).toThrow(InvalidAmountError);
  });

  it('agrees with repeated addition for any quantity and price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10_000_000 }), (quantity, unitCents) => {
        expect(lineTotalCents(quantity, unitCents)).toBe(sumCents(Array.from({ length: quantity }, () => unitCents)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('numberToDecimalText', () => {
  it('writes numbers without an exponent', () => {
    expect(numberToDecimalText(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimalText(1.5e-7)).toBe('0.00000015');
    expect(numberToDecimalText(-2.5e22)).toBe('-25000000000000000000000');
    expect(numberToDecimalText(-0)).toBe('0');
    expect(numberToDecimalText(123.456)).toBe('123.456');
  });

  it('reads back as the same number for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = numberToDecimalText(n);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});
