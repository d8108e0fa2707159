// The admission rules of the HTTP request itself, before its body is read: which request media
// type carries GraphQL, and CSRF prevention. One definition for every HTTP transport that runs
// operations (POST and GET /graphql, the fast path behind it, graphql-sse's /graphql/stream), so
// each refuses alike (src/graphql/admission-policy.ts).
import type { IncomingHttpHeaders } from 'node:http';

/** What a refusal here is answered with; the route writes it as a GraphQL error (code BAD_REQUEST). */
export interface RequestRefusal {
  status: number;
  message: string;
}

/**
 * Request headers that a browser cannot send cross-origin without a CORS preflight, which this
 * gateway grants only to the origins in CORS_ORIGINS (./cors.ts). A request without a JSON content
 * type (a GET) runs only if it carries one of them. Every caller already sends one: `apikey` in pass-through mode, `authorization` in BFF
 * mode; Apollo's two are kept for its clients.
 */
export const PREFLIGHT_HEADERS = ['apikey', 'authorization', 'x-apollo-operation-name', 'apollo-require-preflight'];

/** Content types a cross-site HTML form (or a fetch without preflight) may send. */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention (Apollo Server's rule, held here so that graphql-sse's GET has it too): a request
 * a browser would send cross-site without asking first — no content type or a form's, and none of
 * PREFLIGHT_HEADERS — is refused before it runs, even a query (its side effect is PharmaOne calls).
 */
export function csrfRefusal(headers: IncomingHttpHeaders): RequestRefusal | undefined {
  const contentType = parseMediaType(single(headers['content-type']));
  if (contentType !== null && !SIMPLE_CONTENT_TYPES.includes(contentType.essence)) return undefined;
  if (PREFLIGHT_HEADERS.some((name) => (single(headers[name]) ?? '').length > 0)) return undefined;
  return {
    status: 400,
    message:
      'This request has been blocked as a potential Cross-Site Request Forgery (CSRF): send a content-type other than ' +
      `${SIMPLE_CONTENT_TYPES.join(', ')}, or one of these headers: ${PREFLIGHT_HEADERS.join(', ')}.`,
  };
}

/** A POST body carries GraphQL only as JSON in UTF-8; anything else is 415 before a byte is read. */
export function jsonBodyRefusal(headers: IncomingHttpHeaders): RequestRefusal | undefined {
  const header = single(headers['content-type']);
  // A client sends the same content type on every request: the last one found to be JSON is kept.
  if (header !== undefined && header === lastJsonContentType) return undefined;
  const contentType = parseMediaType(header);
  if (contentType?.essence === 'application/json' && (contentType.charset === undefined || contentType.charset === 'utf-8')) {
    if (header !== undefined && header.length <= 256) lastJsonContentType = header;
    return undefined;
  }
  return { status: 415, message: 'Send the POST body as JSON: content-type application/json (UTF-8).' };
}

let lastJsonContentType: string | undefined;

function parseMediaType(header: string | undefined): { essence: string; charset: string | undefined } | null {
  if (!header) return null;
  const [essence = '', ...params] = header.split(';').map((piece) => piece.trim().toLowerCase());
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return { essence, charset };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
