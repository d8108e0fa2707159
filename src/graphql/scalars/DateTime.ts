// The DateTime scalar: an instant as RFC 3339 / ISO-8601 text with a zone offset. PharmaOne's
// timestamps ("2026-06-14T10:05:55.806759Z", microseconds) go out exactly as sent: re-formatting
// through a JS Date would cut them to milliseconds and change the string clients compare.
import { GraphQLError } from 'graphql';
import { createStringScalar } from './string-scalar.ts';
import { isCalendarDate } from './Date.ts';

// date "T" time [fraction] offset; RFC 3339 allows lower-case t/z and any number of fraction digits.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;
// The same without an offset, as some Python services write UTC.
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;

export const DATE_TIME_DESCRIPTION =
  'An instant as RFC 3339 / ISO-8601 text with a zone offset, e.g. `"2026-06-14T10:05:55.806759Z"`. PharmaOne sends UTC (`Z`) with up to microsecond precision; the gateway passes the upstream text through unchanged (a timestamp sent without an offset is read as UTC and gets a `Z`). Inputs must carry an offset (`Z` or `±hh:mm`).';
export const DATE_TIME_SPECIFIED_BY_URL = 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6';

/** Whether `value` is RFC 3339 date-time text with an offset, naming a real date and time. */
export function isDateTime(value: string): boolean {
  return utcDateTime(value) ?? isDateTimeByPattern(value);
}

/** isDateTime by the pattern alone: what the fast path must agree with. */
export function isDateTimeByPattern(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (match === null) return false;
  const [, year, month, day, hour, minute, second, , offsetHour, offsetMinute] = match;
  return (
    isCalendarDate(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    // 60 is a leap second, which RFC 3339 allows.
    Number(second) <= 60 &&
    (offsetHour === undefined || Number(offsetHour) <= 23) &&
    (offsetMinute === undefined || Number(offsetMinute) <= 59)
  );
}

/**
 * isDateTime for the one shape PharmaOne sends (`YYYY-MM-DDTHH:MM:SS[.f…]Z`), read digit by digit:
 * ten timestamps in a page of orders cost a regex with nine groups and nine Number() calls each
 * (~0.8 µs) otherwise. Undefined for any other shape, which the regex then decides; the same
 * verdict as the regex for every string (test/unit/scalars.test.ts compares both).
 */
function utcDateTime(value: string): boolean | undefined {
  const n = value.length;
  // No fraction (20 characters), or a dot and 1–9 digits before the zone.
  if (n !== 20 && (n < 22 || n > 30)) return undefined;
  const zone = value.charCodeAt(n - 1);
  const t = value.charCodeAt(10);
  if ((zone !== 90 && zone !== 122) || (t !== 84 && t !== 116)) return undefined;
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58)
    return undefined;
  if (n > 20 && value.charCodeAt(19) !== 46) return undefined;
  for (let i = 20; i < n - 1; i++) if (digit(value, i) < 0) return undefined;
  const year = number(value, 0, 4);
  const month = number(value, 5, 2);
  const day = number(value, 8, 2);
  const hour = number(value, 11, 2);
  const minute = number(value, 14, 2);
  const second = number(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  return isCalendarDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 60;
}

/** The decimal number of `length` ASCII digits at `at`, or -1 if one is not a digit. */
function number(value: string, at: number, length: number): number {
  let result = 0;
  for (let i = at; i < at + length; i++) {
    const d = digit(value, i);
    if (d < 0) return -1;
    result = result * 10 + d;
  }
  return result;
}

function digit(value: string, at: number): number {
  const code = value.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

export const DateTimeScalar = createStringScalar({
  name: 'DateTime',
  description: DATE_TIME_DESCRIPTION,
  specifiedByURL: DATE_TIME_SPECIFIED_BY_URL,
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    // Assumption: PharmaOne stores UTC, so a timestamp sent without an offset is read as UTC
    // rather than failing a non-null field for every row.
    // With an offset first (what PharmaOne sends); text without one never is a DateTime as it stands.
    if (typeof value === 'string' && isDateTime(value)) return value;
    if (typeof value === 'string' && NAIVE_DATE_TIME.test(value) && isDateTime(`${value}Z`)) return `${value}Z`;
    // Output values come from PharmaOne: the message never repeats them (they may hold anything).
    throw new GraphQLError('DateTime cannot represent this value: it is not RFC 3339 text with an offset.');
  },
  accepts: isDateTime,
  refusal: (shown) => `DateTime must be RFC 3339 text with an offset such as "2026-06-14T10:05:55Z", got ${shown.slice(0, 80)}`,
});
