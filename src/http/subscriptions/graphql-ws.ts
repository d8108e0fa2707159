// GraphQL over WebSocket (graphql-ws) on the GraphQL path's upgrade. A connection authenticates
// once, at connection_init, like a query does (`apikey` or `Authorization`: headers of the
// upgrade, or the init payload, since browsers cannot set WebSocket headers); each subscribe is
// checked and run by subscription-operation.ts. A slow consumer's or an unauthenticated
// connection is closed with the feed's own close code and the reason.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
// graphql-ws names it like a React hook; it is a plain function.
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { CallerNotAuthenticatedError } from '../../auth/auth-errors.ts';
import type { Authenticator, Caller } from '../../auth/caller.ts';
import type { FeedConnection } from '../../feed/fan-out/subscriber.ts';
import { isDocumentIdRefusal } from '../../graphql/persisted-documents.ts';
import type { DocumentIdRefusal, DocumentIds } from '../../graphql/persisted-documents.ts';
import { MAX_MESSAGE_BYTES, badRequest } from './subscription-operation.ts';
import type { SubscriptionOperations } from './subscription-operation.ts';

/** WebSocket close codes of the feed (4000–4999 are the application's). */
export const FEED_CLOSE_CODES = { UNAUTHENTICATED: 4401, SLOW_CONSUMER: 4008 } as const;

export interface GraphqlWsDeps {
  schema: GraphQLSchema;
  authenticate: Authenticator;
  heartbeatMs: number;
  /** The path that WebSocket upgrades are served on. */
  wsPath: string;
  /** Browsers do not preflight an upgrade: a page from an unlisted origin is refused here (cross-site WebSocket hijacking). */
  originAllowed: (req: IncomingMessage) => boolean;
}

interface WsExtra extends Record<PropertyKey, unknown> {
  caller?: Caller;
  connection?: FeedConnection;
  /** What names the client: the init payload's client-name fields, else the upgrade's headers. */
  clientHeaders?: IncomingHttpHeaders;
}

export function createGraphqlWsTransport(deps: GraphqlWsDeps, operations: SubscriptionOperations) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let closing = false;
  const documentIds = subscribePayloads(operations.documentIds);

  const wsServer = serveGraphqlWs<Record<string, unknown> | undefined, WsExtra>(
    {
      schema: deps.schema,
      subscribe: operations.subscribe,
      jsonMessageReviver: documentIds.reviver,
      onConnect: async (ctx) => {
        try {
          ctx.extra.caller = await deps.authenticate(credentialHeaders(ctx.connectionParams, ctx.extra.request.headers));
        } catch (error) {
          if (!(error instanceof CallerNotAuthenticatedError)) throw error;
          ctx.extra.socket.close(FEED_CLOSE_CODES.UNAUTHENTICATED, closeReason(error.message));
          return false;
        }
        ctx.extra.clientHeaders = clientNameHeaders(ctx.connectionParams, ctx.extra.request.headers);
        const socket = ctx.extra.socket;
        ctx.extra.connection = { disconnect: (reason) => socket.close(FEED_CLOSE_CODES.SLOW_CONSUMER, closeReason(reason)) };
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const request = { transport: 'graphql-ws', method: 'GET', startedAt: performance.now() } as const;
        const { caller, connection } = ctx.extra;
        // graphql-ws itself closes a socket that subscribes before its connection_ack; kept as a guard.
        if (!caller || !connection) return [badRequest('Initialise the connection first.')];
        const refused = documentIds.refusalOf(payload);
        if (refused) {
          const errors = [{ message: refused.message, extensions: { code: refused.code } }];
          operations.report(request, { status: refused.status, body: JSON.stringify({ errors }), operationName: payload.operationName });
          return [new GraphQLError(refused.message, { extensions: { code: refused.code } })];
        }
        return operations.prepare(request, payload, caller, connection, ctx.extra.clientHeaders ?? {});
      },
      onNext: (_ctx, _id, _payload, _args, result) => operations.formatResult(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => operations.formatErrors(errors).errors,
    },
    wss,
    deps.heartbeatMs,
  );

  return {
    /** node:http `upgrade`: WebSockets on the GraphQL path, nothing else. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (req.url ?? '/').split('?')[0];
      if (path !== deps.wsPath || closing) {
        socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
        return;
      }
      if (!deps.originAllowed(req)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },

    /** Shutdown begins: new upgrades are answered 503. */
    refuseUpgrades(): void {
      closing = true;
    },

    /** After the subscriptions completed: the remaining sockets close, then the server. */
    async close(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await wsServer.dispose();
    },
  };
}

/**
 * graphql-ws closes the socket (4400) on a subscribe payload without a `query` string before any
 * hook sees it, so a `documentId` is resolved while the message is parsed: the payload becomes the
 * plain one it stands for, or, refused, a payload the subscribe hook answers with the refusal (an
 * `error` message, as POST /graphql's status and words).
 */
function subscribePayloads(documentIds: DocumentIds) {
  // On the payload itself, not in a table: it goes when the message does.
  const refusal = Symbol('documentId refusal');
  return {
    /** A JSON.parse reviver acting on the whole message only (key ''), never on a value inside it. */
    reviver(key: string, value: unknown): unknown {
      if (key !== '' || !isRecord(value) || value.type !== 'subscribe' || !isRecord(value.payload)) return value;
      const resolved = documentIds.resolve(value.payload);
      if (!isDocumentIdRefusal(resolved)) return { ...value, payload: resolved };
      const { documentId: _documentId, ...rest } = value.payload;
      return { ...value, payload: { ...rest, query: '', [refusal]: resolved } };
    },
    refusalOf(payload: object): DocumentIdRefusal | undefined {
      return (payload as { [refusal]?: DocumentIdRefusal })[refusal];
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** Browsers cannot set WebSocket headers: a client names itself in connection_init as it would in a header. */
function clientNameHeaders(params: Record<string, unknown> | undefined, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named: IncomingHttpHeaders = {};
  for (const name of ['apollographql-client-name', 'graphql-client-name']) {
    const value = Object.entries(params ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
    const header = headers[name];
    if (typeof value === 'string') named[name] = value.slice(0, 256);
    else if (typeof header === 'string') named[name] = header;
  }
  return named;
}

/** WebSocket close reasons are at most 123 bytes. */
function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, -2)}…`;
  return reason;
}
