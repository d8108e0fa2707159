// A hand-written HTTP/1.1 client on node:net, for what fetch and undici hide: a client that keeps
// writing its body whatever the server answers (as curl uploads), the answer's exact bytes, and
// how the connection ended — the server's FIN after the answer, or a reset.
import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server sent until the connection closed. */
  received: Buffer;
  /** The server ended its side (a FIN), rather than the connection being reset. */
  endedByServer: boolean;
  /** The socket's error code (ECONNRESET, EPIPE), if it had one. */
  error: string | undefined;
  /** Request bytes (head included) the kernel accepted before the connection ended. */
  sentBytes: number;
}

export interface RawResponse {
  statusLine: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Bytes after the first response's body (a second response, or garbage): none expected. */
  rest: number;
}

/**
 * Sends `pieces` one after another, each once the kernel took the previous one, whatever arrives
 * meanwhile; after the last piece the client keeps its side open until the server ends its own
 * (then ends too), as a client waiting for its answer does. Settles when the connection closes:
 * no timer decides anything.
 */
export function exchange(port: number, pieces: Iterable<Buffer>): Promise<RawExchange> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  const received: Buffer[] = [];
  let endedByServer = false;
  let error: string | undefined;
  let sentBytes = 0;
  let allSent = false;
  const iterator = pieces[Symbol.iterator]();
  const sendNext = (): void => {
    const next = iterator.next();
    if (next.done) {
      allSent = true;
      if (endedByServer) socket.end();
      return;
    }
    socket.write(next.value, (failure) => {
      if (failure) return;
      sentBytes += next.value.length;
      sendNext();
    });
  };
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('end', () => {
    endedByServer = true;
    if (allSent) socket.end();
  });
  socket.on('error', (failure: NodeJS.ErrnoException) => {
    error ??= failure.code ?? failure.message;
  });
  socket.once('connect', sendNext);
  return new Promise((resolve) => {
    socket.once('close', () => resolve({ received: Buffer.concat(received), endedByServer, error, sentBytes }));
  });
}

/** The first response in `bytes`: its body by Content-Length or in chunked transfer coding. */
export function parseResponse(bytes: Buffer): RawResponse {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error(`no complete response head in ${JSON.stringify(bytes.toString('latin1').slice(0, 200))}`);
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const start = headEnd + 4;
  const { body, end } =
    headers['transfer-encoding'] === 'chunked' ? dechunk(bytes, start) : byLength(bytes, start, headers['content-length']);
  return { statusLine, status: Number(statusLine.split(' ')[1]), headers, body: body.toString('utf8'), rest: bytes.length - end };
}

function byLength(bytes: Buffer, start: number, header: string | undefined): { body: Buffer; end: number } {
  const length = Number(header);
  if (!Number.isInteger(length) || start + length > bytes.length) throw new Error(`a body of ${header} bytes did not arrive`);
  return { body: bytes.subarray(start, start + length), end: start + length };
}

function dechunk(bytes: Buffer, start: number): { body: Buffer; end: number } {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('a chunked body ended early');
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return { body: Buffer.concat(parts), end: lineEnd + 4 };
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** A request head; `fields` in order, without the blank line's CRLF (added here). */
export function head(method: string, path: string, fields: Record<string, string | number>): Buffer {
  const lines = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`);
  return Buffer.from(`${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`, 'latin1');
}

/** `body` cut into pieces of `size` bytes. */
export function* slices(body: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < body.length; offset += size) yield body.subarray(offset, offset + size);
}

/** `body` in chunked transfer coding, one chunk per `size` bytes, then the last chunk. */
export function* chunked(body: Buffer, size: number): Generator<Buffer> {
  for (const slice of slices(body, size)) {
    yield Buffer.concat([Buffer.from(`${slice.length.toString(16)}\r\n`), slice, Buffer.from('\r\n')]);
  }
  yield Buffer.from('0\r\n\r\n');
}
