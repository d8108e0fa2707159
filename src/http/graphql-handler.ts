// Bridges node:http to Apollo Server's executeHTTPGraphQLRequest (Apollo 5 ships no HTTP
// framework; we need none), and holds the GraphQL-over-HTTP rules Apollo leaves to the
// integration: response media type negotiated before anything runs (406 if none fits), request
// bodies only as JSON in UTF-8 (415 otherwise, 400 for bad JSON, 413 when too large, read by
// src/http/request-body.ts), and the status codes of the legacy `application/json` media type.
// CSRF prevention is src/http/request-rules.ts's (graphql-sse's GET has it too). Apollo does the
// rest: GET and POST parameters, 405 for mutations over GET, persisted queries. A `documentId`
// (src/graphql/persisted-documents.ts) is replaced by its document's text here, before the fast
// path and Apollo, so both see the plain request it stands for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext, ContextFunction } from '@apollo/server';
import { isDocumentIdRefusal } from '../graphql/persisted-documents.ts';
import type { DocumentIdRefusal, DocumentIds } from '../graphql/persisted-documents.ts';
import { PERSISTED_QUERY_NOT_IN_LIST } from '../graphql/plugins/persisted-queries.ts';
import { noteOperation } from '../logging/request-scope.ts';
import { safeOperationName } from '../observability/operation-names.ts';
import type { GraphqlRequestDone } from '../observability/operation-report.ts';
import { negotiate } from './accept.ts';
import { readRequestBody } from './request-body.ts';
import { csrfRefusal, jsonBodyRefusal } from './request-rules.ts';

/** Larger GraphQL documents are refused before parsing (413). */
export const MAX_BODY_BYTES = 1_000_000;

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

export interface GraphqlHandlerOptions<TContext> {
  /** Called once per request after the response is sent, whatever path it took (src/observability/operation-report.ts). */
  report?: (done: GraphqlRequestDone) => void;
  /** What the report needs from a context, once one was built. */
  describeContext?: (context: TContext) => Pick<GraphqlRequestDone, 'callerMode' | 'upstreamTrace'>;
  /** Where a failure of this handler itself goes (a bug: every client mistake is answered above it). */
  onUnexpectedError?: (error: unknown) => void;
  /**
   * Serves a POST body without Apollo when it can (src/graphql/prepared-operations.ts); undefined
   * means nothing ran and Apollo serves the request, with the same context if one was built.
   */
  fastPath?: (body: unknown, buildContext: () => Promise<unknown>) => Promise<CompleteAnswer | undefined>;
  /** The answer refusing a batch (a JSON array body) as a whole before any of it runs; undefined: Apollo runs it. */
  refuseBatch?: (pieces: readonly unknown[]) => { status: number; body: string } | undefined;
  /** Resolves `documentId` parameters (src/graphql/persisted-documents.ts); unset: they are not read. */
  documentIds?: DocumentIds;
}

/** A whole response: what Apollo or the fast path answered. */
interface CompleteAnswer {
  status: number;
  headers: Iterable<[string, string]>;
  body: string;
}

export function createGraphqlHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[{ req: IncomingMessage }], TContext>,
  options: GraphqlHandlerOptions<TContext> = {},
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    let built: TContext | undefined;
    let building: Promise<TContext> | undefined;
    let sentBody: string | undefined;
    try {
      // Built at most once: a request the fast path hands to Apollo keeps the context it got.
      sentBody = await handle(req, res, () => {
        building ??= context({ req }).then((value) => {
          built = value;
          return value;
        });
        return building;
      });
    } catch (error) {
      options.onUnexpectedError?.(error);
      sentBody = JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      if (res.headersSent) res.destroy();
      else sendBody(res, 500, MEDIA_TYPES.JSON, sentBody);
    }
    options.report?.({
      method: req.method ?? 'GET',
      status: res.statusCode,
      body: sentBody,
      durationMs: performance.now() - started,
      ...(built && options.describeContext ? options.describeContext(built) : { callerMode: undefined, upstreamTrace: undefined }),
    });
  };

  /** Serves one request; returns the body it sent. */
  async function handle(req: IncomingMessage, res: ServerResponse, buildContext: () => Promise<TContext>): Promise<string | undefined> {
    // A cached GET answer belongs to one credential and one media type.
    res.appendHeader('vary', 'accept, apikey, authorization');
    // Decided first so that nothing (a mutation least of all) runs for a client that cannot read the answer.
    const mediaType = negotiateResponseType(req.headers.accept);
    if (mediaType === null) {
      return sendGraphqlError(res, 406, MEDIA_TYPES.JSON, `Accept must allow application/graphql-response+json or application/json.`);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const refused = jsonBodyRefusal(req.headers);
      if (refused) return sendGraphqlError(res, refused.status, mediaType, refused.message);
      const read = await readRequestBody(req, res, MAX_BODY_BYTES);
      if (read.kind === 'aborted') {
        // Nobody reads an answer any more; 408 is what the request's log line and metric record.
        res.statusCode = 408;
        res.destroy();
        return undefined;
      }
      if (read.kind === 'too_large') return sendGraphqlError(res, 413, mediaType, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
      // Apollo answers an empty body with its own 400 ("POST body missing").
      if (read.text !== '') {
        try {
          body = JSON.parse(read.text);
        } catch {
          return sendGraphqlError(res, 400, mediaType, 'Request body is not valid JSON.');
        }
      }
      body = options.documentIds ? resolveBody(options.documentIds, body) : body;
      if (isDocumentIdRefusal(body)) return sendDocumentIdRefusal(res, mediaType, body);
      if (Array.isArray(body)) {
        const refused = options.refuseBatch?.(body);
        if (refused)
          return sendComplete(res, mediaType, { status: refused.status, headers: [['content-type', mediaType]], body: refused.body });
      } else noteRequestedOperation((body as { operationName?: unknown } | null)?.operationName);
      const fast = await options.fastPath?.(body, buildContext);
      if (fast) return sendComplete(res, mediaType, { ...fast, headers: [...fast.headers, ['content-type', mediaType]] });
    }
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    let search = url.search;
    if (req.method !== 'POST') {
      // A POST got here with a JSON body, which no cross-site form can send; anything else is checked.
      const refused = csrfRefusal(req.headers);
      if (refused) return sendGraphqlError(res, refused.status, mediaType, refused.message);
      noteRequestedOperation(url.searchParams.get('operationName'));
      const resolved = options.documentIds?.resolveSearch(url.searchParams);
      if (isDocumentIdRefusal(resolved)) return sendDocumentIdRefusal(res, mediaType, resolved);
      // A GET by id becomes the GET of its text: Apollo's 405 for a mutation, its cache-control for a query.
      if (resolved && resolved !== url.searchParams) search = `?${resolved.toString()}`;
    }
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers: apolloHeaders(req, mediaType), search, body },
      context: buildContext,
    });
    if (answer.body.kind === 'complete')
      return sendComplete(res, mediaType, { status: answer.status ?? 200, headers: answer.headers, body: answer.body.string });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
    return undefined;
  }
}

/** The request's headers for Apollo, with the media type already negotiated. */
function apolloHeaders(req: IncomingMessage, mediaType: string): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // Apollo negotiates again from this header; handing it the decision keeps both in step.
  headers.set('accept', mediaType);
  return headers;
}

/** Writes a whole answer; returns the body sent. */
function sendComplete(res: ServerResponse, mediaType: string, answer: CompleteAnswer): string {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = answer.status === 400 && mediaType === MEDIA_TYPES.JSON && isRequestErrorOnly(answer.body) ? 200 : answer.status;
  res.end(answer.body);
  return answer.body;
}

/** The operation name the caller asked for, until Apollo resolves the operation (or for good, if it never does). */
function noteRequestedOperation(name: unknown): void {
  if (typeof name === 'string') noteOperation({ name: safeOperationName(name), requested: name });
}

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

/** A POST body with its `documentId`s resolved: the object's, or in a batch each piece's (one refused refuses the batch). */
function resolveBody(documentIds: DocumentIds, body: unknown): unknown {
  const one = (piece: unknown) => (isRecord(piece) ? documentIds.resolve(piece) : piece);
  if (!Array.isArray(body)) return one(body);
  const pieces = body.map(one);
  return pieces.find(isDocumentIdRefusal) ?? pieces;
}

/** Never stored: a CDN keeping a 404 would refuse an id after the manifest that holds it is deployed. */
function sendDocumentIdRefusal(res: ServerResponse, mediaType: string, refusal: DocumentIdRefusal): string {
  res.setHeader('cache-control', 'no-store');
  return sendGraphqlError(res, refusal.status, mediaType, refusal.message, refusal.code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A transport-level refusal, shaped like a GraphQL response so every client can read it; returns the body sent. */
function sendGraphqlError(res: ServerResponse, status: number, mediaType: string, message: string, code = 'BAD_REQUEST'): string {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  sendBody(res, status, mediaType, body);
  return body;
}

function sendBody(res: ServerResponse, status: number, mediaType: string, body: string): void {
  res.statusCode = status;
  res.setHeader('content-type', mediaType);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
