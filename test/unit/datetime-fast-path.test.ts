// The DateTime scalar reads PharmaOne's own timestamp shape digit by digit (src/graphql/scalars/
// DateTime.ts) and leaves every other shape to the RFC 3339 pattern. The class: for every string,
// the verdict is the pattern's. Checked over valid timestamps and every single-character change of
// them, each length around the shape, and the calendar's edges.
import { describe, expect, it } from 'vitest';
import { isDateTime, isDateTimeByPattern } from '../../src/graphql/scalars/DateTime.ts';

const VALID = [
  '2026-06-14T10:05:55Z',
  '2026-06-14T10:05:55.8Z',
  '2026-06-14T10:05:55.806759Z',
  '2026-06-14t10:05:55.123456789z',
  '2024-02-29T23:59:60Z',
  '2000-02-29T00:00:00.000Z',
  '2026-06-14T12:05:55+02:00',
  '2026-06-14T10:05:55.1-05:30',
];
const EDGES = [
  '2025-02-29T10:00:00Z',
  '1900-02-29T10:00:00Z',
  '2026-04-31T10:00:00Z',
  '2026-00-10T10:00:00Z',
  '2026-13-10T10:00:00Z',
  '2026-06-00T10:00:00Z',
  '2026-06-14T24:00:00Z',
  '2026-06-14T23:60:00Z',
  '2026-06-14T23:59:61Z',
  '2026-06-14T10:05:55.Z',
  '2026-06-14T10:05:55.1234567890Z',
  '2026-06-14T10:05:55',
  '2026-06-14 10:05:55Z',
  '2026-06-14T10:05:55ZZ',
  '+2026-06-14T10:05:55Z',
  '２０２６-06-14T10:05:55Z',
  '٢٠٢٦-06-14T10:05:55Z',
  '',
];
const REPLACEMENTS = ['0', '1', '9', '-', ':', 'T', 't', 'Z', 'z', '.', ' ', '+', 'a', '/', '٣', '\u0000'];

function variants(text: string): string[] {
  const out = [text, text.slice(1), text.slice(0, -1), `${text}0`, `0${text}`];
  for (let i = 0; i < text.length; i++) {
    for (const char of REPLACEMENTS) out.push(text.slice(0, i) + char + text.slice(i + 1));
    out.push(text.slice(0, i) + text.slice(i + 1));
  }
  return out;
}

describe('DateTime: the digit-by-digit reading agrees with the RFC 3339 pattern', () => {
  it.each([...VALID, ...EDGES])('on %j and every one-character change of it', (text) => {
    const disagreements = variants(text).filter((value) => isDateTime(value) !== isDateTimeByPattern(value));
    expect(disagreements).toEqual([]);
  });

  it('on every fraction length and zone letter', () => {
    const values: string[] = [];
    for (let digits = 0; digits <= 11; digits++) {
      for (const zone of ['Z', 'z', 'X', '']) values.push(`2026-06-14T10:05:55${digits ? `.${'7'.repeat(digits)}` : ''}${zone}`);
    }
    expect(values.filter((value) => isDateTime(value) !== isDateTimeByPattern(value))).toEqual([]);
    // The shape PharmaOne sends is accepted, as before.
    expect(isDateTime('2026-06-14T10:05:55.806759Z')).toBe(true);
  });
});
