// Exactly one log line and one metric observation per GraphQL HTTP request, written by the HTTP
// handler once the response is sent, from what the client actually got: the status, the error
// codes in the body it was sent, and every upstream HTTP request the per-request trace holds.
// Reporting here (not in an Apollo plugin) covers the requests no plugin sees: refused before
// Apollo (406, 413, 415, bad JSON), failed while building the context (401), answered by Apollo
// before the pipeline (400 for a malformed request), or crashed inside a plugin (500).
// The feed's transports write the same line and metric once per subscribe (graphql-ws) or SSE
// request, when it is admitted or refused (src/http/subscriptions/subscription-operation.ts): how long
// a subscription then lives is not an operation's latency, so it stays out of the histogram.
import type { Logger } from '../logging/logger.ts';
import { currentOperation, currentRequestId } from '../logging/request-scope.ts';
import type { ClientUsage } from './client-usage.ts';
import type { OperationOutcome } from './metrics.ts';

/** One upstream HTTP request as the per-request trace records it (src/upstream). */
export interface TracedUpstreamCall {
  route: string;
  status: number | string;
  cached?: boolean;
}

/** How an operation arrived: POST/GET /graphql, a graphql-ws subscribe, a graphql-sse request. */
export type OperationTransport = 'http' | 'graphql-ws' | 'graphql-sse';

export interface GraphqlRequestDone {
  /** 'http' when absent. */
  transport?: OperationTransport;
  method: string;
  status: number;
  /** The response body as sent, when it was sent whole (every GraphQL response here is). */
  body: string | undefined;
  durationMs: number;
  callerMode: string | undefined;
  /** The per-request upstream trace, when the request got as far as a context. */
  upstreamTrace: readonly TracedUpstreamCall[] | undefined;
  /** The client name (src/graphql/quota/client-identity.ts), when the request got as far as a context and named one. */
  clientName?: string | undefined;
  /** Parts sent, for an answer sent in parts (@defer/@stream); `body` then holds every part's errors. */
  parts?: number;
}

export type OperationReporter = (done: GraphqlRequestDone) => void;

export function createOperationReporter(deps: {
  logger: Logger;
  metrics: {
    operation(name: string | null | undefined, outcome: OperationOutcome, seconds: number): void;
    operationErrors(codes: readonly string[]): void;
    clientUsage?: ClientUsage;
  };
}): OperationReporter {
  // This line holds chosen scalars and counts only (never headers, variables, bodies or inputs), so
  // the logger's redaction paths can match nothing in it; without them the line costs ~3 µs
  // instead of ~15 µs, once per request.
  const lines = deps.logger.child({}, { redact: [] });
  return (done) => {
    const { errorCodes, hasData } = errorsIn(done.body, done.status);
    const operation = currentOperation();
    // The calls sent (cached ones aside), counted by route and status in one pass.
    let calls = 0;
    const byStatus: Record<string, number> = {};
    for (const call of done.upstreamTrace ?? []) {
      if (call.cached) continue;
      calls += 1;
      const key = `${call.route} ${call.status}`;
      byStatus[key] = (byStatus[key] ?? 0) + 1;
    }
    const outcome: OperationOutcome = errorCodes.length === 0 ? 'ok' : hasData ? 'partial' : 'error';
    deps.metrics.operation(operation.name ?? operation.requested, outcome, done.durationMs / 1000);
    if (errorCodes.length > 0) deps.metrics.operationErrors(errorCodes);
    deps.metrics.clientUsage?.record(done.clientName, calls, errorCodes);
    const line: Record<string, unknown> = {
      requestId: currentRequestId(),
      operationName: operation.name,
      operationType: operation.type,
      callerMode: done.callerMode,
      client: deps.metrics.clientUsage?.label(done.clientName),
      transport: done.transport ?? 'http',
      httpMethod: done.method,
      durationMs: Math.round(done.durationMs),
      httpStatus: done.status,
      errorCodes,
      upstreamCalls: calls,
      upstream: byStatus,
    };
    // Last, as before: a literal with a spread in it is built the slow way.
    if (done.parts !== undefined) line.parts = done.parts;
    lines.info(line, 'graphql operation');
  };
}

/**
 * The distinct `extensions.code`s of the errors in a response body and whether it carried data. A
 * body that is not a GraphQL response (it always is, but a 5xx from a crash may not be) counts as
 * one error with the code its status implies.
 */
export function errorsIn(body: string | undefined, status: number): { errorCodes: string[]; hasData: boolean } {
  // Most successful bodies carry no errors; only those that may are parsed.
  if (body !== undefined && status < 400 && !body.includes('"errors"')) return { errorCodes: [], hasData: true };
  try {
    type Response = { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
    const parsed = JSON.parse(body ?? '') as Response | Response[];
    // A batch's answer is an array of responses: the line counts them together.
    const responses = Array.isArray(parsed) ? parsed : [parsed];
    const codes = responses.flatMap((response) =>
      (response?.errors ?? []).map((error) =>
        typeof error?.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR',
      ),
    );
    if (codes.length === 0 && status >= 400) codes.push(status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
    return {
      errorCodes: [...new Set(codes)],
      hasData: responses.some((response) => response?.data !== null && response?.data !== undefined),
    };
  } catch {
    return { errorCodes: status >= 400 ? [status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'] : [], hasData: false };
  }
}
