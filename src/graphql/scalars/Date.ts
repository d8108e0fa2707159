// The Date scalar: a calendar date, YYYY-MM-DD (RFC 3339 full-date), e.g. a patient's date of
// birth or the day a prescription was issued. Only real dates pass (2024-02-29 yes, 2026-02-29 no)
// because PharmaOne would otherwise store, or reject late, a date that never existed.
import { GraphQLError } from 'graphql';
import { createStringScalar } from './string-scalar.ts';

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const DATE_DESCRIPTION =
  'A calendar date without time or zone, `YYYY-MM-DD` (RFC 3339 full-date), e.g. `"1984-03-07"`. Only dates that exist in the Gregorian calendar are accepted.';
export const DATE_SPECIFIED_BY_URL = 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6';

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether year/month/day name a day that exists (proleptic Gregorian calendar). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether `value` is a YYYY-MM-DD string naming a real day. */
export function isFullDate(value: string): boolean {
  const match = FULL_DATE.exec(value);
  if (match === null) return false;
  return isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export const DateScalar = createStringScalar({
  name: 'Date',
  description: DATE_DESCRIPTION,
  specifiedByURL: DATE_SPECIFIED_BY_URL,
  serialize(value) {
    // A JS Date from our own code means its UTC day.
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && isFullDate(value)) return value;
    // Output values come from PharmaOne: the message never repeats them (they may hold anything).
    throw new GraphQLError('Date cannot represent this value: it is not a real calendar date as "YYYY-MM-DD".');
  },
  accepts: isFullDate,
  refusal: (shown) => `Date must be a real calendar date as "YYYY-MM-DD", got ${shown}`,
});
