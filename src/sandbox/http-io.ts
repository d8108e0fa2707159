// Reading request bodies and writing JSON replies, defensively: no client input may crash the
// process, and a reply to a client that already went away is silently dropped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './route-types.ts';

/** Bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this the sandbox stops draining an oversized upload and drops the connection. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

export type BodyRead =
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'invalid_json'; message: string }
  | { kind: 'too_large' }
  /** The client went away before the body was complete; there is nobody to answer. */
  | { kind: 'aborted' };

export function readBody(request: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining an oversized body (so the client can read the 413) but stop buffering it.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) request.socket.destroy();
    });
    request.on('error', () => resolve({ kind: 'aborted' }));
    request.on('close', () => resolve({ kind: 'aborted' }));
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return resolve({ kind: 'too_large' });
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ kind: 'empty' });
      try {
        resolve({ kind: 'json', value: JSON.parse(text) as unknown });
      } catch (error) {
        resolve({ kind: 'invalid_json', message: `Malformed JSON body: ${(error as Error).message}` });
      }
    });
  });
}

export function isGone(response: ServerResponse): boolean {
  return response.writableEnded || response.destroyed || response.socket === null || response.socket.destroyed;
}

export function sendReply(response: ServerResponse, reply: Reply): void {
  if (isGone(response)) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 204 || reply.body === undefined) {
    response.writeHead(reply.status, headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = String(Buffer.byteLength(payload));
  response.writeHead(reply.status, headers);
  response.end(payload);
}
