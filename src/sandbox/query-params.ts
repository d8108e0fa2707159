// Query parameter parsing shared by the list endpoints. Out-of-range or malformed values are
// rejected with 400 rather than clamped, so a gateway bug shows up instead of hiding.
import { invalidParameter, ReplyError } from './errors.ts';

export interface Page {
  limit: number;
  offset: number;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

function integer(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw new ReplyError(invalidParameter(`${name} must be a non-negative integer, got "${raw}"`));
  return Number(raw);
}

export function limitParam(query: URLSearchParams): number {
  const limit = integer(query, 'limit') ?? DEFAULT_LIMIT;
  if (limit < 1 || limit > MAX_LIMIT) throw new ReplyError(invalidParameter(`limit must be between 1 and ${MAX_LIMIT}, got ${limit}`));
  return limit;
}

export function pageParams(query: URLSearchParams): Page {
  return { limit: limitParam(query), offset: integer(query, 'offset') ?? 0 };
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ReplyError(invalidParameter(`${name} must be one of ${values.join(', ')}, got "${raw}"`));
  }
  return raw as T;
}

export function booleanParam(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw !== 'true' && raw !== 'false') throw new ReplyError(invalidParameter(`${name} must be true or false, got "${raw}"`));
  return raw === 'true';
}

export function stringParam(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

/** The `{data, pagination}` envelope of §3 and the other lists. */
export function paginated<Row, Json>(rows: readonly Row[], page: Page, toJson: (row: Row) => Json) {
  return {
    data: rows.slice(page.offset, page.offset + page.limit).map(toJson),
    pagination: { limit: page.limit, offset: page.offset, total: rows.length },
  };
}
