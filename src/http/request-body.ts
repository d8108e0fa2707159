// The one way the gateway's HTTP routes read a request body (POST /graphql, POST /graphql/stream),
// and how a connection closes while a body is still arriving. A body over its route's bound is
// answered (the route writes the 413), never reset: the bound is checked against Content-Length
// before a byte is read, and against what arrives, chunked or not; nothing past the bound is kept.
// A connection that closes after an answer while the client is still sending closes the way
// RFC 9112 §9.6 asks: our side ends after the answer, then what the client still sends is read and
// dropped until it closes its side (or bounds in bytes and time run out). Closing at once with
// bytes unread makes the kernel send a reset, which can reach the client before it has read the
// answer: the 413 would be lost exactly when the client is still uploading.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long a closing connection keeps dropping what the client still sends. */
const LINGER_MS = 10_000;
/** How much it drops before it stops reading and closes anyway. */
const LINGER_MAX_BYTES = 16 * 1024 * 1024;

export type BodyRead =
  | { kind: 'body'; text: string }
  /** Over the bound (declared or arriving): answer 413; the connection closes after that answer. */
  | { kind: 'too_large' }
  /** The client went away (or the server's request timeout cut it off) before the body was complete. */
  | { kind: 'aborted' };

/**
 * The body as UTF-8 text, at most `maxBytes`. Read by events rather than an async iterator (which
 * costs a promise per chunk).
 */
export function readRequestBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<BodyRead> {
  // Node has already refused a malformed or repeated Content-Length (400).
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(tooLarge(req, res));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onCut);
      req.off('close', onCut);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else settle(tooLarge(req, res));
    };
    const onEnd = () =>
      settle({ kind: 'body', text: chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8') });
    // An error, or the end of the connection before the end of the body.
    const onCut = () => settle({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onCut);
    req.on('close', onCut);
  });
}

/** The connection closes after the answer; the rest of the body is dropped as it arrives, never kept. */
function tooLarge(req: IncomingMessage, res: ServerResponse): BodyRead {
  if (!res.headersSent) res.setHeader('connection', 'close');
  // Flowing with no `data` listener: each chunk the parser hands over is dropped.
  req.resume();
  return { kind: 'too_large' };
}

/**
 * For every request (the router calls it): when Node ends the connection after the answer while
 * the body is still arriving (a 413, a refusal to a client that sent `Connection: close`, a drain),
 * the connection lingers instead of closing with unread bytes.
 */
export function lingerWhileBodyArrives(res: ServerResponse): void {
  res.on('finish', lingerIfBodyArrives);
}

/** One listener function for every response ('finish' comes once): no closure per request. */
function lingerIfBodyArrives(this: ServerResponse): void {
  const { req } = this;
  const socket = req.socket;
  // Node ends its side (socket.end) as it finishes an answer that closes the connection.
  if (!req.complete && !socket.writable && !socket.destroyed) linger(socket);
}

function linger(socket: Socket): void {
  // Node destroys the socket once its end is flushed (Socket#destroySoon): read and drop instead.
  // Should Node close another way, nothing is removed and the connection closes as Node decides;
  // test/hardening/edge-body-limits.test.ts then sees the reset.
  socket.removeListener('finish', socket.destroy);
  let dropped = 0;
  const close = () => socket.destroy();
  const timer = setTimeout(close, LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.once('end', close);
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_MAX_BYTES) close();
  });
  socket.resume();
}
