// The one per-operation log line and metric observation (src/observability/operation-report.ts)
// for each subscribe, as POST /graphql writes them for each request: once, when the subscribe is
// refused (by a transport's request rules or the admission) or when the feed has taken or
// refused its subscription. Not when it ends: how long a subscription lives is not an
// operation's latency.
import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { DocumentNode, GraphQLFormattedError } from 'graphql';
import type { Caller } from '../../auth/caller.ts';
import { currentRequestId, noteOperation, runInRequestScope } from '../../logging/request-scope.ts';
import { safeOperationName } from '../../observability/operation-names.ts';
import type { OperationReporter, OperationTransport } from '../../observability/operation-report.ts';

/** Where a subscribe came from: the transport, the HTTP method it arrived with, and when. */
export interface SubscribeRequest {
  transport: Exclude<OperationTransport, 'http'>;
  method: string;
  startedAt: number;
  /** Set once its log line is written: one per subscribe. */
  reported?: boolean;
}

/** What the one log line says about a subscribe's answer. */
export interface SubscribeAnswer {
  status: number;
  /** The refusal's body as sent; undefined for an admitted subscription. */
  body: string | undefined;
  operationName?: unknown;
  caller?: Caller;
  /** The client name the subscribe was counted under (src/graphql/quota/client-identity.ts). */
  clientName?: string | undefined;
}

interface Admitted {
  request: SubscribeRequest;
  operationName: unknown;
  caller: Caller;
  clientName?: string | undefined;
}

export function createSubscribeLines(reportOperation: OperationReporter) {
  /** Admitted subscribes whose subscription has not started yet, by their subscription context. */
  const pending = new WeakMap<object, Admitted>();

  /** Writes the line in its request's scope: an SSE request's, or a fresh one per WebSocket subscribe. */
  function report(request: SubscribeRequest, answer: SubscribeAnswer): void {
    if (request.reported) return;
    request.reported = true;
    const write = () => {
      const name = typeof answer.operationName === 'string' ? answer.operationName : undefined;
      noteOperation({ type: 'subscription', name: safeOperationName(name), requested: name });
      reportOperation({
        transport: request.transport,
        method: request.method,
        status: answer.status,
        body: answer.body,
        durationMs: performance.now() - request.startedAt,
        callerMode: answer.caller?.mode,
        upstreamTrace: undefined,
        clientName: answer.clientName,
      });
    };
    if (currentRequestId() === undefined) runInRequestScope(randomUUID(), write);
    else write();
  }

  return {
    report,

    /** An admitted subscribe: its line waits for the feed's answer (`started`). */
    admitted(subscriptionContext: object, admitted: Admitted): void {
      pending.set(subscriptionContext, admitted);
    },

    /** The feed took the subscription (no errors) or refused it with these errors. */
    started(
      subscriptionContext: object,
      run: { document: DocumentNode; operationName?: string | null | undefined },
      errors: readonly GraphQLFormattedError[] | undefined,
    ): void {
      const admitted = pending.get(subscriptionContext);
      if (!admitted) return;
      pending.delete(subscriptionContext);
      // Named as Apollo names an operation: by the one the document runs, not only by the name sent.
      const operationName = getOperationAST(run.document, run.operationName)?.name?.value ?? admitted.operationName;
      const body = errors === undefined ? undefined : JSON.stringify({ errors });
      report(admitted.request, { status: 200, body, operationName, caller: admitted.caller, clientName: admitted.clientName });
    },
  };
}
