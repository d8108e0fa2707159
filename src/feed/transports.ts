// The feed's two transports, both running the gateway schema's subscriptions: GraphQL over
// WebSocket (graphql-ws, on the /graphql upgrade) and GraphQL over Server-Sent Events
// (graphql-sse, distinct connections, POST /graphql/stream). Both authenticate like queries
// (`apikey` or `Authorization`, as headers or — WebSocket — in the connection_init payload),
// admit operations through the same admission as POST /graphql (src/graphql/admission.ts), format
// errors through the one error map, and finish every stream cleanly on shutdown.
import { STATUS_CODES } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST } from 'graphql';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { createHandler as createSseHandler } from 'graphql-sse';
// graphql-ws names it like a React hook; it is a plain function.
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { CallerNotAuthenticatedError } from '../auth/auth-errors.ts';
import type { Authenticator, Caller } from '../auth/caller.ts';
import type { Admission } from '../graphql/admission.ts';
import { buildGatewayContext } from '../graphql/context.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { formatClientMistakes } from '../graphql/safety/client-mistakes.ts';
import { sha256Hex } from '../graphql/plugins/persisted-queries.ts';
import type { QueryLimits } from '../graphql/safety/query-limits.ts';
import { ErrorCode, formatClientError } from '../graphql/errors.ts';
import type { Logger } from '../logging/logger.ts';
import type { PharmaOneClientDeps } from '../upstream/pharmaone-client.ts';
import { createDeadline } from '../upstream/resilience/deadline.ts';
import { readRequestBody } from '../http/request-body.ts';
import { csrfRefusal, jsonBodyRefusal } from '../http/request-rules.ts';
import type { IdempotencyCoordinator } from '../writes/keyed-write.ts';
import type { FeedConnection, OrderFeed } from './order-feed.ts';
import type { FeedSettings } from './settings.ts';
import { serveSse } from './sse-http.ts';
import type { SseRequestContext } from './sse-http.ts';

/** Larger subscribe messages or SSE bodies are refused: a subscription document is small. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** WebSocket close codes of the feed (4000–4999 are the application's). */
export const FEED_CLOSE_CODES = { UNAUTHENTICATED: 4401, SLOW_CONSUMER: 4008 } as const;

export interface FeedTransportDeps {
  schema: GraphQLSchema;
  /** The admission POST /graphql runs (src/graphql/admission.ts), over the same schema. */
  admission: Admission;
  authenticate: Authenticator;
  feed: OrderFeed;
  settings: FeedSettings;
  client: PharmaOneClientDeps;
  idempotency: IdempotencyCoordinator;
  detailConcurrency: number;
  /** The same limits as queries (src/graphql/safety/query-limits.ts): field suggestions here; the rest are the admission's. */
  limits: QueryLimits;
  logger: Logger;
  /** The path that WebSocket upgrades are served on. */
  wsPath: string;
}

interface WsExtra extends Record<PropertyKey, unknown> {
  caller?: Caller;
  connection?: FeedConnection;
}

export function createFeedTransports(deps: FeedTransportDeps) {
  // The same error rules as POST /graphql: client mistakes are BAD_REQUEST, no suggestions in production.
  const formatWithClientMistakes = formatClientMistakes(formatClientError(), { suggestions: deps.limits.fieldSuggestions });
  // Apollo takes `extensions.http` (the status of its HTTP answer) off an error before formatting it; so do these.
  const formatError = (error: GraphQLError): GraphQLFormattedError => {
    const { http: _http, ...extensions } = error.extensions;
    return formatWithClientMistakes({ ...error.toJSON(), extensions }, error);
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // The same admission as POST /graphql (token limit, validation rules, then its ordered list).
  const { admission } = deps;
  let closing = false;

  function contextFor(caller: Caller, connection: FeedConnection): GatewayContext {
    // The client and loaders here are placeholders: each event brings its own (Subscription.resolve).
    return buildGatewayContext(caller, {
      client: deps.client,
      upstreamTrace: [],
      deadline: createDeadline(1),
      maxCalls: 0,
      idempotency: deps.idempotency,
      loaders: { detailConcurrency: deps.detailConcurrency },
      feed: deps.feed,
      feedConnection: connection,
    });
  }

  /** Parse, validate and admit; only subscriptions run here (queries and mutations have POST /graphql). */
  function prepare(
    query: unknown,
    variables: unknown,
    operationName: unknown,
    contextValue: GatewayContext,
  ): ExecutionArgs | readonly GraphQLError[] {
    if (typeof query !== 'string') return [badRequest('Send the subscription document as `query`.')];
    const parsed = admission.parseAndValidate(query);
    if (!('document' in parsed)) return parsed.errors;
    const { document } = parsed;
    const name = typeof operationName === 'string' ? operationName : undefined;
    const operation = getOperationAST(document, name);
    const variableValues = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
    const refused = admission.refusal({
      document,
      source: query,
      queryHash: sha256Hex(query),
      operation,
      operationName: name,
      variables: variableValues,
    });
    if (refused) return refused;
    if (operation?.operation !== 'subscription') {
      return [badRequest('Only subscriptions run here; send queries and mutations to POST /graphql.')];
    }
    return { schema: deps.schema, document, variableValues, operationName: name, contextValue };
  }

  function formatResult(result: ExecutionResult): ExecutionResult {
    if (!result.errors) return result;
    // graphql-ws and graphql-sse send what this returns; the shape is a formatted result.
    const errors = result.errors.map(formatError) as unknown as readonly GraphQLError[];
    return { ...result, errors };
  }

  const wsServer = serveGraphqlWs<Record<string, unknown> | undefined, WsExtra>(
    {
      schema: deps.schema,
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await deps.authenticate(credentialHeaders(ctx.connectionParams, ctx.extra.request.headers));
        } catch (error) {
          if (!(error instanceof CallerNotAuthenticatedError)) throw error;
          ctx.extra.socket.close(FEED_CLOSE_CODES.UNAUTHENTICATED, closeReason(error.message));
          return false;
        }
        const socket = ctx.extra.socket;
        ctx.extra.connection = { disconnect: (reason) => socket.close(FEED_CLOSE_CODES.SLOW_CONSUMER, closeReason(reason)) };
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const { caller, connection } = ctx.extra;
        if (!caller || !connection) return [badRequest('Initialise the connection first.')];
        if (caller.expiresAtMs !== undefined && caller.expiresAtMs <= Date.now()) {
          return [
            new GraphQLError('The sign-in token expired: sign in again and reconnect.', {
              extensions: { code: ErrorCode.UNAUTHENTICATED },
            }),
          ];
        }
        return prepare(payload.query, payload.variables, payload.operationName, contextFor(caller, connection));
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => errors.map(formatError),
    },
    wss,
    deps.settings.heartbeatMs,
  );

  // graphql-sse wants an index-signature context type; the value is the GatewayContext from prepare().
  const sse = createSseHandler<IncomingMessage, SseRequestContext, Record<PropertyKey, unknown>>({
    schema: deps.schema,
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
      const prepared = prepare(params.query, params.variables, params.operationName, contextFor(caller, connection));
      if (!('schema' in prepared)) {
        // The status POST /graphql answers the same refusal with (413 for a document over its size).
        const status = (prepared[0]?.extensions.http as { status?: number } | undefined)?.status ?? 400;
        return jsonResponse(status, STATUS_CODES[status] ?? 'Bad Request', { errors: prepared.map(formatError) });
      }
      return prepared as ExecutionArgs & { contextValue: Record<PropertyKey, unknown> };
    },
    onNext: (_ctx, _req, result) => formatResult(result as ExecutionResult),
  });

  return {
    /** node:http `upgrade`: WebSockets on the GraphQL path, nothing else. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== deps.wsPath || closing) {
        socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },

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

    /** Shutdown: subscriptions complete (a `complete` message, the end of the SSE stream), then sockets close. */
    async close(): Promise<void> {
      closing = true;
      await deps.feed.close();
      // graphql-ws and graphql-sse send `complete` when they next read the finished streams.
      for (let i = 0; i < 100 && deps.feed.stats().subscribers > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setImmediate(resolve));
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await wsServer.dispose();
    },
  };
}

/**
 * Browsers cannot set WebSocket headers: credentials come in the connection_init payload
 * (`apikey`, `Authorization` in any case), else from the upgrade request's headers.
 */
export function credentialHeaders(params: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const fromParams = (name: string): string | undefined => {
    for (const [key, value] of Object.entries(params ?? {})) {
      if (key.toLowerCase() === name && typeof value === 'string' && value.length <= 8_192) return value;
    }
    return undefined;
  };
  const apikey = fromParams('apikey');
  const authorization = fromParams('authorization');
  if (apikey === undefined && authorization === undefined) return { apikey: headers.apikey, authorization: headers.authorization };
  return { apikey, authorization };
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

/** WebSocket close reasons are at most 123 bytes. */
function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, -2)}…`;
  return reason;
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
