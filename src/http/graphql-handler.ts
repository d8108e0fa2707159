// Bridges node:http to Apollo Server's executeHTTPGraphQLRequest (Apollo 5 ships no HTTP
// framework; we need none), and holds the GraphQL-over-HTTP rules Apollo leaves to the
// integration: response media type negotiated before anything runs (406 if none fits), request
// bodies only as JSON in UTF-8 (415 otherwise, 400 for bad JSON, 413 when too large), and the
// status codes of the legacy `application/json` media type. Apollo does the rest: GET and POST
// parameters, CSRF prevention, 405 for mutations over GET, persisted queries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { PERSISTED_QUERY_NOT_IN_LIST } from '../graphql/plugins/persisted-queries.ts';

/** Larger GraphQL documents are refused before parsing (413). */
const MAX_BODY_BYTES = 1_000_000;

export const MEDIA_TYPES = {
  JSON: 'application/json; charset=utf-8',
  GRAPHQL_RESPONSE: 'application/graphql-response+json; charset=utf-8',
} as const;

/**
 * Request headers that a browser cannot send cross-origin without a CORS preflight, which this
 * gateway never grants. A request without a JSON content type (a GET) runs only if it carries one
 * of them (Apollo's CSRF prevention). Every caller already sends one: `apikey` in pass-through mode,
 * `authorization` in BFF mode; Apollo's own two are kept for other clients.
 */
export const PREFLIGHT_HEADERS = ['apikey', 'authorization', 'x-apollo-operation-name', 'apollo-require-preflight'];

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
  // Refused before execution by the upstream-call budget (src/graphql/plugins/upstream-call-budget.ts).
  'QUERY_TOO_EXPENSIVE',
]);

export function createGraphqlHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[{ req: IncomingMessage }], TContext>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A cached GET answer belongs to one credential and one media type.
    res.setHeader('vary', 'accept, apikey, authorization');
    // Decided first so that nothing (a mutation least of all) runs for a client that cannot read the answer.
    const mediaType = negotiateResponseType(req.headers.accept);
    if (mediaType === null) {
      sendGraphqlError(res, 406, MEDIA_TYPES.JSON, `Accept must allow application/graphql-response+json or application/json.`);
      return;
    }
    let body: unknown;
    if (req.method === 'POST') {
      const contentType = parseMediaType(req.headers['content-type']);
      if (contentType?.essence !== 'application/json' || (contentType.charset !== undefined && contentType.charset !== 'utf-8')) {
        sendGraphqlError(res, 415, mediaType, 'Send the POST body as JSON: content-type application/json (UTF-8).');
        return;
      }
      try {
        body = await readJsonBody(req);
      } catch (error) {
        sendGraphqlError(res, error instanceof BodyTooLargeError ? 413 : 400, mediaType, (error as Error).message);
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // Apollo negotiates again from this header; handing it the decision keeps both in step.
    headers.set('accept', mediaType);
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => context({ req }),
    });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      if (res.statusCode === 400 && mediaType === MEDIA_TYPES.JSON && isRequestErrorOnly(answer.body.string)) res.statusCode = 200;
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * The response media type for an Accept header (RFC 9110 §12.5.1): the highest q wins, then the
 * more specific range, then the one the client listed first; `*\/*` alone, or no header, means
 * application/json (the spec's default for clients that do not ask). Null: neither is acceptable.
 */
export function negotiateResponseType(accept: string | string[] | undefined): string | null {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (header === undefined || header.trim() === '') return MEDIA_TYPES.JSON;
  const ranges = header.split(',').map((part, order) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { range, q: Number.isFinite(weight) ? weight : 0, order };
  });
  let best: { type: string; q: number; specificity: number; order: number } | null = null;
  for (const [type, essence] of [
    [MEDIA_TYPES.JSON, 'application/json'],
    [MEDIA_TYPES.GRAPHQL_RESPONSE, 'application/graphql-response+json'],
  ] as const) {
    // The most specific range that names a type decides its weight: `*/*;q=1, application/json;q=0` refuses JSON.
    const match = ranges
      .map((entry) => ({ ...entry, specificity: specificity(entry.range, essence) }))
      .filter((entry) => entry.specificity >= 0)
      .sort((a, b) => b.specificity - a.specificity || a.order - b.order)[0];
    if (!match || match.q <= 0) continue;
    const better =
      !best ||
      match.q > best.q ||
      (match.q === best.q &&
        (match.specificity > best.specificity || (match.specificity === best.specificity && match.order < best.order)));
    if (better) best = { type, q: match.q, specificity: match.specificity, order: match.order };
  }
  return best?.type ?? null;
}

/** 2 exact, 1 `application/*`, 0 `*\/*`, -1 no match. */
function specificity(range: string, essence: string): number {
  if (range === essence) return 2;
  if (range === 'application/*') return 1;
  if (range === '*/*') return 0;
  return -1;
}

function parseMediaType(header: string | undefined): { essence: string; charset: string | undefined } | null {
  if (!header) return null;
  const [essence = '', ...params] = header.split(';').map((piece) => piece.trim().toLowerCase());
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/^"|"$/g, '');
  return { essence, charset };
}

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

class BodyTooLargeError extends Error {}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  // Apollo answers an empty body with its own 400 ("POST body missing").
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Request body is not valid JSON.');
  }
}

/** A transport-level refusal, shaped like a GraphQL response so every client can read it. */
function sendGraphqlError(res: ServerResponse, status: number, mediaType: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', mediaType);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
