// PharmaOne's id grammar, the one rule every value obeys before it becomes part of an upstream URL
// (path segment, shop host or id-valued query parameter). Written down as the `pattern` and
// `maxLength` of the id parameters in schema/pharmaone.openapi.yaml; test/contract checks the two
// agree. With it, `.`, `..`, `%2e%2e`, `a/b`, `?x=`, `#`, spaces, unicode or a 900 KB string can
// never move a request to another route or reach PharmaOne at all.
import { InvalidUpstreamInputError } from './upstream-errors.ts';

export const UPSTREAM_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
export const UPSTREAM_ID_MAX_LENGTH = 64;

const ID = new RegExp(UPSTREAM_ID_PATTERN);

export function isUpstreamId(value: unknown): value is string {
  // The length check first: a 900 KB string is refused without running a regular expression over it.
  return typeof value === 'string' && value.length <= UPSTREAM_ID_MAX_LENGTH && ID.test(value);
}

/** The value itself, or InvalidUpstreamInputError naming the argument (never the value). */
export function upstreamId(argument: string, value: string): string {
  if (!isUpstreamId(value)) throw new InvalidUpstreamInputError({ argument, rule: 'id' });
  return value;
}
