// graphql-sse's server-agnostic handler on node:http. Its own node:http adapter
// (graphql-sse/lib/use/http) reads the request body itself, unbounded; here the body is read by
// the gateway's one bounded reader (src/http/request-body.ts) first, so an oversized SSE body is
// answered 413 like one on POST /graphql, and graphql-sse gets the text.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from 'graphql-sse';
import type { SubscribeRequest } from './subscribe-lines.ts';

export interface SseRequestContext {
  res: ServerResponse;
  /** The subscribe this request carries, for its one log line (subscription-operation.ts). */
  subscribe: SubscribeRequest;
}

export type SseHandler = Handler<IncomingMessage, SseRequestContext>;

/**
 * Runs one request through graphql-sse with the body already read (and the URL, both as the
 * gateway rewrote them for a `documentId`); streams its answer.
 */
export async function serveSse(
  handler: SseHandler,
  req: IncomingMessage,
  context: SseRequestContext,
  request: { text: string | null; url: string },
): Promise<void> {
  const { res } = context;
  const { text } = request;
  const [body, init] = await handler({
    method: req.method ?? 'GET',
    url: request.url,
    headers: {
      get(key) {
        const header = req.headers[key];
        return Array.isArray(header) ? header.join('\n') : header;
      },
    },
    // A function, as graphql-sse's own adapter passes it, so its answers stay the same (an empty body is not "Missing body").
    body: () => text,
    raw: req,
    context,
  });
  res.writeHead(init.status, init.statusText, init.headers);
  if (!body || typeof body === 'string') {
    await new Promise<void>((resolve) => res.end(body ?? undefined, () => resolve()));
    return;
  }
  const stop = () => void body.return(undefined);
  res.once('close', stop);
  for await (const value of body) {
    // The response's `close` may come late: an unwritable response ends the stream too.
    if (!res.writable) break;
    await new Promise<void>((resolve, reject) => res.write(value, (error) => (error ? reject(error) : resolve())));
  }
  res.off('close', stop);
  await new Promise<void>((resolve) => res.end(() => resolve()));
}
