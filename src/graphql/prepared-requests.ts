// What the prepared path (./prepared-operations.ts) keeps its entries by, and which request
// bodies it may serve at all: a POST body with nothing Apollo treats specially.

/** A request body this path may serve: nothing in it that Apollo treats specially. */
export interface PlainRequest {
  /** The query text, or for a persisted query sent by hash alone, persistedKey(hash). */
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

/**
 * One key per (text, operationName sent): "" names no operation, unlike an absent one. A text that
 * parsed holds no NUL, so the first NUL after it ends it (a persisted key starts with one and holds no other).
 */
export function preparedKey(query: string, operationName: string | undefined): string {
  return operationName === undefined ? `${query}\u0000-` : `${query}\u0000=${operationName}`;
}

/**
 * The key a persisted query sent by hash alone is kept under: no query text can equal it (a NUL
 * character does not parse).
 */
export function persistedKey(sha256Hash: string): string {
  return `\u0000apq:${sha256Hash}`;
}

/**
 * The body, if it is a POST body with nothing but a query text or a persisted-query hash (APQ
 * version 1; a hash alone, since a text with a hash registers it, which is Apollo's work), an
 * operationName, variables and other extensions (which only the persisted-query rules read).
 */
export function plainRequest(body: unknown): PlainRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  let query: string | undefined;
  let persisted: string | undefined;
  let operationName: string | undefined;
  let variables: Record<string, unknown> = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (name === 'query' && typeof value === 'string') query = value;
    else if (name === 'operationName' && (typeof value === 'string' || value === null)) operationName = value ?? undefined;
    else if (name === 'variables' && value === null) variables = {};
    else if (name === 'variables' && isRecord(value)) variables = value;
    else if (name === 'extensions' && value === null) continue;
    else if (name === 'extensions' && isRecord(value)) {
      if (!('persistedQuery' in value)) continue;
      persisted = persistedQueryHash(value.persistedQuery);
      if (persisted === undefined) return undefined;
    } else return undefined;
  }
  if (persisted !== undefined) return query === undefined ? { query: persistedKey(persisted), operationName, variables } : undefined;
  return query === undefined ? undefined : { query, operationName, variables };
}

export function persistedQueryHash(persistedQuery: unknown): string | undefined {
  if (!isRecord(persistedQuery) || persistedQuery.version !== 1) return undefined;
  return typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
