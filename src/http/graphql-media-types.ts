// The two media types a GraphQL answer is sent as, which one an Accept header gets, and the
// status code rule of the legacy one (GraphQL over HTTP: request errors answer 200 with
// application/json, which older clients read whatever the status, and 4xx with
// application/graphql-response+json).
import { PERSISTED_QUERY_NOT_IN_LIST } from '../graphql/plugins/persisted-queries.ts';
import { negotiate } from './accept.ts';

export const MEDIA_TYPES = {
  JSON: 'application/json; charset=utf-8',
  GRAPHQL_RESPONSE: 'application/graphql-response+json; charset=utf-8',
} as const;

/**
 * Request errors of a well-formed request: the operation did not parse, validate, have valid
 * variables, or pass the safelist. The spec asks for 200 with `application/json` (older clients
 * read the body whatever the status) and 4xx with `application/graphql-response+json`.
 */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_IN_LIST,
  // Refused before execution by the upstream-call budget (src/graphql/admission.ts).
  'QUERY_TOO_EXPENSIVE',
]);

/**
 * The response media type for an Accept header: the one negotiation of src/http/accept.ts over
 * the two GraphQL media types, application/json first so that `*\/*` alone, or no header, means
 * application/json (the spec's default for clients that do not ask). Null: neither is acceptable.
 */
export function negotiateResponseType(accept: string | string[] | undefined): string | null {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (header === undefined || header.trim() === '') return MEDIA_TYPES.JSON;
  // A client sends the same Accept on every request: the last header's answer is kept (one pair).
  if (header === lastAccept.header) return lastAccept.type;
  const essence = negotiate(header, ['application/json', 'application/graphql-response+json']);
  const type = essence === null ? null : essence === 'application/json' ? MEDIA_TYPES.JSON : MEDIA_TYPES.GRAPHQL_RESPONSE;
  if (header.length <= 256) lastAccept = { header, type };
  return type;
}

let lastAccept: { header: string | undefined; type: string | null } = { header: undefined, type: null };

function isRequestErrorOnly(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: { code?: unknown } }>; data?: unknown };
    return (
      parsed.data === undefined &&
      Array.isArray(parsed.errors) &&
      parsed.errors.length > 0 &&
      parsed.errors.every((error) => REQUEST_ERROR_CODES.has(String(error.extensions?.code)))
    );
  } catch {
    return false;
  }
}

/** The status an answer is sent with in `mediaType`: Apollo's 400 for a request error is 200 in application/json. */
export function legacyStatus(status: number, mediaType: string, body: string): number {
  return status === 400 && mediaType === MEDIA_TYPES.JSON && isRequestErrorOnly(body) ? 200 : status;
}
