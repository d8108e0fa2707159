import fc from 'fast-check';
import { GraphQLError, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateScalar } from '../../src/graphql/scalars/Date.ts';
import { DateTimeScalar } from '../../src/graphql/scalars/DateTime.ts';
import { DecimalScalar } from '../../src/graphql/scalars/Decimal.ts';

const literal = (source: string) => parseValue(source);

describe('DateTime', () => {
  it('passes PharmaOne timestamps through unchanged, microseconds included', () => {
    expect(DateTimeScalar.serialize('2026-06-14T10:05:55.806759Z')).toBe('2026-06-14T10:05:55.806759Z');
    expect(DateTimeScalar.serialize('2026-06-14T12:05:55+02:00')).toBe('2026-06-14T12:05:55+02:00');
  });

  it('reads an upstream timestamp without an offset as UTC', () => {
    expect(DateTimeScalar.serialize('2026-06-14T10:05:55.806759')).toBe('2026-06-14T10:05:55.806759Z');
  });

  it('serializes a JS Date as ISO-8601 UTC', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 5, 14, 10, 5, 55)))).toBe('2026-06-14T10:05:55.000Z');
  });

  it('refuses to serialize what is not a date-time', () => {
    for (const bad of ['2026-06-14', 'yesterday', '2026-02-30T00:00:00Z', 1_718_000_000, null]) {
      expect(() => DateTimeScalar.serialize(bad), String(bad)).toThrow(GraphQLError);
    }
  });

  it('accepts inputs with an offset, as variables and as literals', () => {
    expect(DateTimeScalar.parseValue('2026-06-14T10:05:55Z')).toBe('2026-06-14T10:05:55Z');
    expect(DateTimeScalar.parseValue('2026-06-14T10:05:55.1-05:30')).toBe('2026-06-14T10:05:55.1-05:30');
    expect(DateTimeScalar.parseLiteral(literal('"2026-06-14T10:05:55Z"'))).toBe('2026-06-14T10:05:55Z');
  });

  it('rejects inputs without an offset or with impossible fields', () => {
    for (const bad of [
      '2026-06-14T10:05:55',
      '2026-13-01T00:00:00Z',
      '2026-06-14T24:00:00Z',
      '2026-06-14T10:60:00Z',
      '2026-06-14 10:05:55Z',
      20260614,
    ]) {
      expect(() => DateTimeScalar.parseValue(bad), String(bad)).toThrow(/DateTime must be RFC 3339 text with an offset/);
    }
    expect(() => DateTimeScalar.parseLiteral(literal('123'))).toThrow(/got 123/);
  });

  it('points at its specification', () => {
    expect(DateTimeScalar.specifiedByURL).toBe('https://www.rfc-editor.org/rfc/rfc3339#section-5.6');
  });
});

describe('Date', () => {
  it('accepts real calendar dates, leap days included', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    expect(DateScalar.parseValue('2000-02-29')).toBe('2000-02-29');
    expect(DateScalar.parseLiteral(literal('"1980-01-31"'))).toBe('1980-01-31');
  });

  it('rejects days that never existed and other shapes', () => {
    for (const bad of [
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-00-10',
      '2026-6-1',
      '2026-06-14T00:00:00Z',
      '14.06.2026',
      20260614,
    ]) {
      expect(() => DateScalar.parseValue(bad), String(bad)).toThrow(/Date must be a real calendar date/);
    }
    expect(() => DateScalar.parseLiteral(literal('true'))).toThrow(/got true/);
  });

  it('agrees with the JS calendar for every day of four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1800, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        if (real) expect(DateScalar.parseValue(text)).toBe(text);
        else expect(() => DateScalar.parseValue(text)).toThrow(GraphQLError);
      }),
    );
  });

  it('serializes a date string or a JS Date as its UTC day', () => {
    expect(DateScalar.serialize('1984-03-07')).toBe('1984-03-07');
    expect(DateScalar.serialize(new Date(Date.UTC(1984, 2, 7, 23, 0)))).toBe('1984-03-07');
  });
});

describe('Decimal', () => {
  it('serializes exact decimal strings as they are', () => {
    expect(DecimalScalar.serialize('98.25')).toBe('98.25');
    expect(DecimalScalar.serialize('79782936.62')).toBe('79782936.62');
    expect(DecimalScalar.serialize('-0.05')).toBe('-0.05');
  });

  it('serializes whole numbers but refuses fractional JS numbers, which mean float money math', () => {
    expect(DecimalScalar.serialize(42)).toBe('42');
    expect(() => DecimalScalar.serialize(98.25)).toThrow(/exact strings/);
    expect(() => DecimalScalar.serialize('1e3')).toThrow(/exact strings/);
  });

  it('accepts strings and JSON numbers as variables, as exact text', () => {
    expect(DecimalScalar.parseValue('5.10')).toBe('5.10');
    expect(DecimalScalar.parseValue(25.5)).toBe('25.5');
    expect(DecimalScalar.parseValue(0.29)).toBe('0.29');
    expect(DecimalScalar.parseValue(7)).toBe('7');
  });

  it('keeps literal numbers exactly as written, never through a float', () => {
    expect(DecimalScalar.parseLiteral(literal('25.50'))).toBe('25.50');
    expect(DecimalScalar.parseLiteral(literal('0.1000000000000000000001'))).toBe('0.1000000000000000000001');
    expect(DecimalScalar.parseLiteral(literal('"98.25"'))).toBe('98.25');
  });

  it('rejects exponents, signs, separators, NaN and non-numbers', () => {
    for (const bad of ['1e3', '+1', '1,5', '', ' 1', 'NaN', Number.NaN, Number.POSITIVE_INFINITY, true, null, '9'.repeat(65)]) {
      expect(() => DecimalScalar.parseValue(bad), String(bad)).toThrow(/Decimal must be a plain decimal string/);
    }
    expect(() => DecimalScalar.parseLiteral(literal('1e3'))).toThrow(/got 1e3/);
    expect(() => DecimalScalar.parseLiteral(literal('ENUM'))).toThrow(GraphQLError);
  });

  it('keeps more than two decimals: money rules are the mutation validation’s job', () => {
    expect(DecimalScalar.parseValue('0.125')).toBe('0.125');
  });
});
