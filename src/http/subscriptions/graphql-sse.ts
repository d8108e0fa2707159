// GraphQL over Server-Sent Events (graphql-sse) on its own route, distinct connections only: one
// request per subscription (POST with a body bounded like POST /graphql's, or GET). Each request
// authenticates like a query and is checked and run by subscription-operation.ts; a refused one is
// answered with a JSON error and its status, never an empty stream. A slow consumer's stream ends
// with a last error event naming why.
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { createHandler as createSseHandler } from 'graphql-sse';
import { CallerNotAuthenticatedError } from '../../auth/auth-errors.ts';
import type { Authenticator, Caller } from '../../auth/caller.ts';
import { ErrorCode } from '../../graphql/errors.ts';
import { isDocumentIdRefusal } from '../../graphql/persisted-documents.ts';
import type { DocumentIdRefusal, DocumentIds } from '../../graphql/persisted-documents.ts';
import { readRequestBody } from '../request-body.ts';
import { csrfRefusal, jsonBodyRefusal } from '../request-rules.ts';
import type { FeedConnection } from '../../feed/fan-out/subscriber.ts';
import { serveSse } from './sse-http.ts';
import type { SseRequestContext } from './sse-http.ts';
import { MAX_MESSAGE_BYTES } from './subscription-operation.ts';
import type { SubscribeRequest } from './subscribe-lines.ts';
import type { SubscriptionOperations } from './subscription-operation.ts';

export interface GraphqlSseDeps {
  schema: GraphQLSchema;
  authenticate: Authenticator;
}

export function createGraphqlSseTransport(deps: GraphqlSseDeps, operations: SubscriptionOperations) {
  // graphql-sse wants an index-signature context type; the value is the GatewayContext from prepare().
  const sse = createSseHandler<IncomingMessage, SseRequestContext, Record<PropertyKey, unknown>>({
    schema: deps.schema,
    subscribe: operations.subscribe,
    onSubscribe: async (req, params) => {
      let caller: Caller;
      try {
        caller = await deps.authenticate(req.raw.headers);
      } catch (error) {
        if (!(error instanceof CallerNotAuthenticatedError)) throw error;
        const unauthenticated = { errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] };
        operations.report(req.context.subscribe, {
          status: 401,
          body: JSON.stringify(unauthenticated),
          operationName: params.operationName,
        });
        return jsonResponse(401, 'Unauthorized', unauthenticated);
      }
      const res = req.context.res;
      const connection: FeedConnection = {
        disconnect(reason) {
          if (!res.writable) return;
          const errors = [{ message: reason, extensions: { code: 'SLOW_CONSUMER' } }];
          res.end(`event: next\ndata: ${JSON.stringify({ errors })}\n\nevent: complete\ndata:\n\n`);
        },
      };
      const prepared = await operations.prepare(req.context.subscribe, params, caller, connection, req.raw.headers, (fields) => {
        // Merged by writeHead with the answer's own (the stream's, or the refusal's).
        for (const [name, value] of fields) res.setHeader(name, value);
      });
      if (!('schema' in prepared)) {
        // The status POST /graphql answers the same refusal with (413 for a document over its size).
        const refusal = operations.formatErrors(prepared);
        const status = refusal.status ?? 400;
        return jsonResponse(status, STATUS_CODES[status] ?? 'Bad Request', { errors: refusal.errors });
      }
      return prepared as ExecutionArgs & { contextValue: Record<PropertyKey, unknown> };
    },
    onNext: (_ctx, _req, result) => operations.formatResult(result as ExecutionResult),
  });

  return {
    /** The SSE route: distinct connections only (one POST per subscription); bodies bounded; one log line each. */
    async handleSse(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const subscribe: SubscribeRequest = { transport: 'graphql-sse', method: req.method ?? 'GET', startedAt: performance.now() };
      const refusal = await serve(req, res, subscribe);
      // Answered by graphql-sse itself (a body it cannot read) or by the transport's own rules.
      if (!subscribe.reported) operations.report(subscribe, { status: res.statusCode, body: refusal });
    },
  };

  /** Serves one SSE request; returns the body of a refusal written here. */
  async function serve(req: IncomingMessage, res: ServerResponse, subscribe: SubscribeRequest): Promise<string | undefined> {
    if (req.method !== 'POST' && req.method !== 'GET') {
      res.statusCode = 405;
      res.setHeader('allow', 'GET, POST');
      res.end();
      return undefined;
    }
    // The same request rules as /graphql: a GET only with a preflight header, a POST body only as JSON.
    const refused = req.method === 'GET' ? csrfRefusal(req.headers) : jsonBodyRefusal(req.headers);
    if (refused) return writeJson(res, refused.status, { errors: [{ message: refused.message, extensions: { code: 'BAD_REQUEST' } }] });
    if (req.headers['x-graphql-event-stream-token'] !== undefined) {
      return writeJson(res, 400, { errors: [{ message: 'Only distinct connections are offered: one request per subscription.' }] });
    }
    let text: string | null = null;
    if (req.method === 'POST') {
      const read = await readRequestBody(req, res, MAX_MESSAGE_BYTES);
      if (read.kind === 'aborted') {
        // Nobody reads an answer any more; 408 is what the log line and metric record, as on /graphql.
        res.statusCode = 408;
        res.destroy();
        return undefined;
      }
      if (read.kind === 'too_large') {
        const message = `Request body exceeds ${MAX_MESSAGE_BYTES} bytes.`;
        return writeJson(res, 413, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      }
      text = read.text;
    }
    const resolved = resolveDocumentId(operations.documentIds, req.url ?? '/', text);
    if (isDocumentIdRefusal(resolved)) {
      const { status, code, message } = resolved;
      return writeJson(res, status, { errors: [{ message, extensions: { code } }] });
    }
    await serveSse(sse, req, { res, subscribe }, resolved);
    return undefined;
  }
}

/**
 * graphql-sse reads `query` only: a `documentId` (in the JSON body, or in the URL of a GET) is
 * replaced by its document's text first, as POST /graphql does. A body that is not a JSON object
 * is left to graphql-sse, which answers it as it would without an id.
 */
function resolveDocumentId(
  documentIds: DocumentIds,
  url: string,
  text: string | null,
): { text: string | null; url: string } | DocumentIdRefusal {
  if (text === null) {
    const parsed = new URL(url, 'http://gateway.invalid');
    const search = documentIds.resolveSearch(parsed.searchParams);
    if (isDocumentIdRefusal(search)) return search;
    return { text, url: search === parsed.searchParams ? url : `${parsed.pathname}?${search.toString()}` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { text, url };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { text, url };
  const resolved = documentIds.resolve(body as Record<string, unknown>);
  if (isDocumentIdRefusal(resolved)) return resolved;
  return { text: resolved === body ? text : JSON.stringify(resolved), url };
}

function jsonResponse(
  status: number,
  statusText: string,
  body: { errors: GraphQLFormattedError[] | Array<{ message: string; extensions: object }> },
) {
  return [JSON.stringify(body), { status, statusText, headers: { 'content-type': 'application/json; charset=utf-8' } }] as const;
}

/** Writes a refusal; returns the body sent. */
function writeJson(res: ServerResponse, status: number, body: unknown): string {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(text);
  return text;
}
