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
import type { HttpContextInput } from '../graphql/context.ts';
import { IncrementalChannel } from '../graphql/incremental.ts';
import { isDocumentIdRefusal } from '../graphql/persisted-documents.ts';
import type { DocumentIdRefusal, DocumentIds } from '../graphql/persisted-documents.ts';
import { noteOperation } from '../logging/request-scope.ts';
import { safeOperationName } from '../observability/operation-names.ts';
import type { GraphqlRequestDone } from '../observability/operation-report.ts';
import { incrementalSpecFor, requestState, sendMaybeInParts } from './incremental-response.ts';
import type { PartsOptions, RequestState } from './incremental-response.ts';
import { MEDIA_TYPES, legacyStatus, negotiateResponseType } from './graphql-media-types.ts';
import { readRequestBody } from './request-body.ts';
import { csrfRefusal, jsonBodyRefusal } from './request-rules.ts';

/** Larger GraphQL documents are refused before parsing (413). */
export const MAX_BODY_BYTES = 1_000_000;

export interface GraphqlHandlerOptions<TContext> {
  /** Called once per request after the response is sent, whatever path it took (src/observability/operation-report.ts). */
  report?: (done: GraphqlRequestDone) => void;
  /** What the report needs from a context, once one was built. */
  describeContext?: (context: TContext) => Pick<GraphqlRequestDone, 'callerMode' | 'upstreamTrace' | 'clientName'>;
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
  /** Incremental delivery (./incremental-response.ts); unset: @defer/@stream are served inline. */
  incremental?: PartsOptions;
  /** Fields an answer carries for its context (the client quota's RateLimit fields), set before it is sent. */
  answerHeaders?: (context: TContext) => Iterable<[string, string]>;
  /** Called once the answer is sent, for a request that got a context (the client quota settles here). */
  onAnswered?: (context: TContext) => void;
}

/** What one request's answer is made with: its context (built at most once) and the fields its context adds. */
interface RequestParts<TContext> {
  buildContext: () => Promise<TContext>;
  answerHeaders: () => Iterable<[string, string]>;
}

/** A whole response: what Apollo or the fast path answered. */
interface CompleteAnswer {
  status: number;
  headers: Iterable<[string, string]>;
  body: string;
}

export function createGraphqlHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: ContextFunction<[HttpContextInput], TContext>,
  options: GraphqlHandlerOptions<TContext> = {},
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    let built: TContext | undefined;
    let building: Promise<TContext> | undefined;
    let sentBody: string | undefined;
    const request = requestState(res);
    try {
      // Built at most once: a request the fast path hands to Apollo keeps the context it got.
      sentBody = await handle(apollo, options, req, res, request, {
        buildContext: () => {
          building ??= context({ req, clientGone: request.clientGone, incremental: request.incremental }).then((value) => {
            built = value;
            return value;
          });
          return building;
        },
        answerHeaders: () => (built && options.answerHeaders ? options.answerHeaders(built) : []),
      });
    } catch (error) {
      options.onUnexpectedError?.(error);
      sentBody = JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      if (res.headersSent) res.destroy();
      else sendBody(res, 500, MEDIA_TYPES.JSON, sentBody);
    }
    if (built) options.onAnswered?.(built);
    options.report?.({
      method: req.method ?? 'GET',
      status: res.statusCode,
      body: sentBody,
      durationMs: performance.now() - started,
      ...(request.parts === undefined ? {} : { parts: request.parts }),
      ...(built && options.describeContext ? options.describeContext(built) : { callerMode: undefined, upstreamTrace: undefined }),
    });
  };
}

/** Serves one request; returns the body it sent. */
async function handle<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: GraphqlHandlerOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestState,
  { buildContext, answerHeaders }: RequestParts<TContext>,
): Promise<string | undefined> {
  // A cached GET answer belongs to one credential and one media type.
  res.appendHeader('vary', 'accept, apikey, authorization');
  // Decided first so that nothing (a mutation least of all) runs for a client that cannot read the answer.
  const mediaType = negotiateResponseType(req.headers.accept);
  if (mediaType === null) {
    return sendGraphqlError(res, 406, MEDIA_TYPES.JSON, `Accept must allow application/graphql-response+json or application/json.`);
  }
  const spec = options.incremental ? incrementalSpecFor(req.headers.accept, mediaType) : null;
  if (spec) request.incremental = new IncrementalChannel(spec);
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
      // A batch is answered as one JSON array: its operations serve @defer/@stream inline.
      request.incremental = undefined;
      const refused = options.refuseBatch?.(body);
      if (refused)
        return sendComplete(res, mediaType, { status: refused.status, headers: [['content-type', mediaType]], body: refused.body });
    } else noteRequestedOperation((body as { operationName?: unknown } | null)?.operationName);
    const fast = await options.fastPath?.(body, buildContext);
    if (fast)
      return sendAnswer(
        res,
        mediaType,
        request,
        { ...fast, headers: [...fast.headers, ...answerHeaders(), ['content-type', mediaType]] },
        options.incremental,
      );
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
    return sendAnswer(
      res,
      mediaType,
      request,
      { status: answer.status ?? 200, headers: [...answer.headers, ...answerHeaders()], body: answer.body.string },
      options.incremental,
    );
  for (const [name, value] of [...answer.headers, ...answerHeaders()]) res.setHeader(name, value);
  res.statusCode = answer.status ?? 200;
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
  return undefined;
}

/** A complete answer, or one sent in parts (./incremental-response.ts). */
function sendAnswer(
  res: ServerResponse,
  mediaType: string,
  request: RequestState,
  answer: CompleteAnswer,
  options: PartsOptions | undefined,
): Promise<string> {
  return sendMaybeInParts(res, request, answer, options, () => sendComplete(res, mediaType, answer));
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
  res.statusCode = legacyStatus(answer.status, mediaType, answer.body);
  res.end(answer.body);
  return answer.body;
}

/** The operation name the caller asked for, until Apollo resolves the operation (or for good, if it never does). */
function noteRequestedOperation(name: unknown): void {
  if (typeof name === 'string') noteOperation({ name: safeOperationName(name), requested: name });
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
