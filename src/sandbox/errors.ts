// Error bodies as PharmaOne sends them. The Manager answers {"error": "<code>", "message": …}
// (422 adds "fields"); Kong, in front of the v1 routes and the shop proxies, answers with its
// own {"message": …} bodies, reproduced exactly.
import type { Reply } from './route-types.ts';

export function errorReply(status: number, error: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { error, message, ...extra } };
}

export function notFound(message: string): Reply {
  return errorReply(404, 'not_found', message);
}

export function invalidParameter(message: string): Reply {
  return errorReply(400, 'invalid_parameter', message);
}

export function validationFailed(fields: readonly string[], message?: string): Reply {
  return errorReply(422, 'validation_failed', message ?? `Invalid or missing fields: ${fields.join(', ')}`, { fields: [...fields] });
}

export const KONG_NO_API_KEY: Reply = {
  status: 401,
  body: { message: 'No API key found in request' },
  headers: { 'www-authenticate': 'Key realm="kong"' },
};

export const KONG_INVALID_CREDENTIALS: Reply = {
  status: 401,
  body: { message: 'Invalid authentication credentials' },
};

/** Thrown by validation helpers; the pipeline answers with `reply`. */
export class ReplyError extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    const body = reply.body as { message?: unknown } | undefined;
    super(typeof body?.message === 'string' ? body.message : `HTTP ${reply.status}`);
    this.reply = reply;
  }
}
