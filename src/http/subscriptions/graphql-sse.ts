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
import { readRequestBody } from '../request-body.ts';
import { csrfRefusal, jsonBodyRefusal } from '../request-rules.ts';
import type { FeedConnection } from '../../feed/fan-out/subscriber.ts';
import { serveSse } from './sse-http.ts';
import type { SseRequestContext } from './sse-http.ts';
import { MAX_MESSAGE_BYTES } from './subscription-operation.ts';
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
        return jsonResponse(401, 'Unauthorized', { errors: [{ message: error.message, extensions: { code: ErrorCode.UNAUTHENTICATED } }] });
      }
      const res = req.context.res;
      const connection: FeedConnection = {
        disconnect(reason) {
          if (!res.writable) return;
          const errors = [{ message: reason, extensions: { code: 'SLOW_CONSUMER' } }];
          res.end(`event: next\ndata: ${JSON.stringify({ errors })}\n\nevent: complete\ndata:\n\n`);
        },
      };
      const prepared = operations.prepare(params.query, params.variables, params.operationName, caller, connection);
      if (!('schema' in prepared)) {
        // The status POST /graphql answers the same refusal with (413 for a document over its size).
        const status = (prepared[0]?.extensions.http as { status?: number } | undefined)?.status ?? 400;
        return jsonResponse(status, STATUS_CODES[status] ?? 'Bad Request', { errors: prepared.map(operations.formatError) });
      }
      return prepared as ExecutionArgs & { contextValue: Record<PropertyKey, unknown> };
    },
    onNext: (_ctx, _req, result) => operations.formatResult(result as ExecutionResult),
  });

  return {
    /** The SSE route: distinct connections only (one POST per subscription); bodies bounded. */
    async handleSse(req: IncomingMessage, res: ServerResponse): Promise<void> {
      if (req.method !== 'POST' && req.method !== 'GET') {
        res.statusCode = 405;
        res.setHeader('allow', 'GET, POST');
        res.end();
        return;
      }
      // The same request rules as /graphql: a GET only with a preflight header, a POST body only as JSON.
      const refused = req.method === 'GET' ? csrfRefusal(req.headers) : jsonBodyRefusal(req.headers);
      if (refused) return writeJson(res, refused.status, { errors: [{ message: refused.message, extensions: { code: 'BAD_REQUEST' } }] });
      if (req.headers['x-graphql-event-stream-token'] !== undefined) {
        writeJson(res, 400, { errors: [{ message: 'Only distinct connections are offered: one request per subscription.' }] });
        return;
      }
      let text: string | null = null;
      if (req.method === 'POST') {
        const read = await readRequestBody(req, res, MAX_MESSAGE_BYTES);
        if (read.kind === 'aborted') return void res.destroy();
        if (read.kind === 'too_large') {
          const message = `Request body exceeds ${MAX_MESSAGE_BYTES} bytes.`;
          return writeJson(res, 413, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
        }
        text = read.text;
      }
      await serveSse(sse, req, res, text);
    },
  };
}

function jsonResponse(
  status: number,
  statusText: string,
  body: { errors: GraphQLFormattedError[] | Array<{ message: string; extensions: object }> },
) {
  return [JSON.stringify(body), { status, statusText, headers: { 'content-type': 'application/json; charset=utf-8' } }] as const;
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
