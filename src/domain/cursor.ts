// Relay cursors over PharmaOne's limit/offset paging. A cursor names the absolute position of one
// edge in a list; it is opaque to clients (base64url of a versioned string) so that the paging
// scheme can change behind it, and decoding rejects anything this module did not write.
import { GraphQLError } from 'graphql';

/** Bump when the cursor's meaning changes; old cursors then fail loudly instead of paging wrong. */
const CURSOR_PREFIX = 'po1:offset:';

/** A pagination argument the caller got wrong; a client error, never retried. */
export class InvalidPageArgumentError extends GraphQLError {
  constructor(argumentName: 'first' | 'after', message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', argumentName } });
    this.name = 'InvalidPageArgumentError';
  }
}

/** The cursor of the edge at `offset` (0-based) in the full, unpaged list. */
export function encodeCursor(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`cursor offset must be a whole number ≥ 0, got ${String(offset)}`);
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset a cursor names; throws InvalidPageArgumentError for anything encodeCursor did not produce. */
export function decodeCursor(cursor: string): number {
  const invalid = () =>
    new InvalidPageArgumentError('after', 'after is not a cursor from this API: pass an edge cursor or pageInfo.endCursor unchanged');
  // Canonical base64url only, so that one position has exactly one cursor.
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw invalid();
  const digits = text.slice(CURSOR_PREFIX.length);
  if (!/^(0|[1-9]\d{0,15})$/.test(digits)) throw invalid();
  const offset = Number(digits);
  if (!Number.isSafeInteger(offset) || encodeCursor(offset) !== cursor) throw invalid();
  return offset;
}

export interface PageWindowOptions {
  /** Page size when `first` is omitted. */
  defaultSize: number;
  /** Largest `first` accepted; PharmaOne's own `limit` cap is 100. */
  maxSize: number;
}

export interface PageWindow {
  limit: number;
  offset: number;
}

export const DEFAULT_PAGE_WINDOW: PageWindowOptions = { defaultSize: 20, maxSize: 100 };

/** Connection arguments → the upstream `limit`/`offset`: the page starts just after the `after` edge. */
export function pageWindow(
  first: number | null | undefined,
  after: string | null | undefined,
  options: PageWindowOptions = DEFAULT_PAGE_WINDOW,
): PageWindow {
  let limit = options.defaultSize;
  if (first !== null && first !== undefined) {
    if (!Number.isInteger(first) || first < 1 || first > options.maxSize) {
      throw new InvalidPageArgumentError('first', `first must be between 1 and ${options.maxSize}, got ${String(first)}`);
    }
    limit = first;
  }
  const offset = after === null || after === undefined ? 0 : decodeCursor(after) + 1;
  return { limit, offset };
}

export interface PageInfoValue {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** PageInfo for `count` nodes starting at `offset` of a list of `totalCount`. */
export function pageInfoFor(offset: number, count: number, totalCount: number): PageInfoValue {
  return {
    hasNextPage: offset + count < totalCount,
    // Offset paging knows whether anything precedes the page, so say so (Relay allows it).
    hasPreviousPage: offset > 0,
    startCursor: count > 0 ? encodeCursor(offset) : null,
    endCursor: count > 0 ? encodeCursor(offset + count - 1) : null,
  };
}

/** Relay edges for `nodes` that start at `offset`: each cursor is its node's absolute position. */
export function edgesFor<T>(nodes: readonly T[], offset: number): { cursor: string; node: T }[] {
  return nodes.map((node, index) => ({ cursor: encodeCursor(offset + index), node }));
}
