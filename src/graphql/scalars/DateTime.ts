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

export const DateTimeScalar = createStringScalar({
  name: 'DateTime',
  description: DATE_TIME_DESCRIPTION,
  specifiedByURL: DATE_TIME_SPECIFIED_BY_URL,
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    // Assumption: PharmaOne stores UTC, so a timestamp sent without an offset is read as UTC
    // rather than failing a non-null field for every row.
    if (typeof value === 'string' && NAIVE_DATE_TIME.test(value) && isDateTime(`${value}Z`)) return `${value}Z`;
    if (typeof value === 'string' && isDateTime(value)) return value;
    // Output values come from PharmaOne: the message never repeats them (they may hold anything).
    throw new GraphQLError('DateTime cannot represent this value: it is not RFC 3339 text with an offset.');
  },
  accepts: isDateTime,
  refusal: (shown) => `DateTime must be RFC 3339 text with an offset such as "2026-06-14T10:05:55Z", got ${shown.slice(0, 80)}`,
});
