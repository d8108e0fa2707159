// The request id of the HTTP request being served, available anywhere below the router (context,
// formatError, logs) without threading it through every call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** A caller's X-Request-Id is kept only when it is short and plain (it ends up in logs). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const candidate = Array.isArray(given) ? given[0] : given;
  return candidate && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

export function runInRequestScope<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
