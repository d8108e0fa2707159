// The request id of the HTTP request being served, available anywhere below the router (context,
// formatError, logs) without threading it through every call, and the facts about its GraphQL
// operation that the one per-request log line and metric need (written by the Apollo plugins,
// read by the HTTP handler after the response is sent, whatever path the request took).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface OperationFacts {
  /** The operation's name, only if it passed the operation-name rule (src/observability/operation-names.ts). */
  name?: string;
  type?: 'query' | 'mutation' | 'subscription';
  /** The operationName the caller sent, unchecked: only the metric labeler may see it (it labels a bad one "invalid"). */
  requested?: string;
}

const scope = new AsyncLocalStorage<{ requestId: string; operation: OperationFacts }>();

/** A caller's X-Request-Id is kept only when it is short and plain (it ends up in logs). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const candidate = Array.isArray(given) ? given[0] : given;
  return candidate && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

export function runInRequestScope<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId, operation: { name: undefined, type: undefined, requested: undefined } }, work);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Records what the operation turned out to be (once Apollo resolved it). */
export function noteOperation(facts: OperationFacts): void {
  const operation = scope.getStore()?.operation;
  if (!operation) return;
  // Field by field (as Object.assign would: a fact given as undefined clears it), on one shape.
  if ('name' in facts) operation.name = facts.name;
  if ('type' in facts) operation.type = facts.type;
  if ('requested' in facts) operation.requested = facts.requested;
}

export function currentOperation(): OperationFacts {
  return scope.getStore()?.operation ?? {};
}
