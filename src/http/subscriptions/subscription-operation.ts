// What both transports run for one subscription, so that WebSocket and SSE behave as one and as
// POST /graphql does: the document admitted by POST's own admission (src/graphql/admission.ts:
// size, parse, validation and limit rules, safelist, introspection, operation choice, variables,
// the upstream-call budget), errors formatted by the one error policy (src/graphql/error-policy.ts), and the contexts. A subscription's context and each of its events' are built by the one context
// builder (src/graphql/context.ts) over the one request-scope builder
// (src/loaders/request-scope.ts), complete when built and never changed after: graphql-js's own
// subscribe runs every event on the subscription's context, so the events run through subscribe()
// below, which hands each event the context of its own request scope.
import type { IncomingHttpHeaders } from 'node:http';
import { GraphQLError, createSourceEventStream, execute, getOperationAST } from 'graphql';
import type { ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Caller } from '../../auth/caller.ts';
import type { Admission } from '../../graphql/admission.ts';
import { buildGatewayContext } from '../../graphql/context.ts';
import type { GatewayContext } from '../../graphql/context.ts';
import type { ErrorPolicy } from '../../graphql/error-policy.ts';
import { clientNameOf } from '../../graphql/quota/client-identity.ts';
import { SUBSCRIBE_CALLS } from '../../graphql/quota/client-quota.ts';
import type { QuotaTab } from '../../graphql/quota/client-quota.ts';
import { ErrorCode } from '../../graphql/errors.ts';
import { executeEvent } from '../../graphql/incremental.ts';
import { createRequestScope } from '../../loaders/request-scope.ts';
import type { RequestScope } from '../../loaders/request-scope.ts';
import { sha256Hex } from '../../graphql/plugins/persisted-queries.ts';
import type { OperationReporter } from '../../observability/operation-report.ts';
import type { PharmaOneClientDeps } from '../../upstream/pharmaone-client.ts';
import { createDeadline } from '../../upstream/resilience/deadline.ts';
import type { IdempotencyCoordinator } from '../../writes/keyed-write.ts';
import type { FeedConnection, FeedDelivery } from '../../feed/fan-out/subscriber.ts';
import type { OrderFeed } from '../../feed/order-feed.ts';
import { mapEvents } from './map-events.ts';
import { createSubscribeLines } from './subscribe-lines.ts';
import type { SubscribeRequest } from './subscribe-lines.ts';

/** Larger subscribe messages or SSE bodies are refused: a subscription document is small. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface SubscriptionOperationDeps {
  schema: GraphQLSchema;
  /** The admission POST /graphql runs (src/graphql/admission.ts), over the same schema. */
  admission: Admission;
  feed: OrderFeed;
  client: PharmaOneClientDeps;
  idempotency: IdempotencyCoordinator;
  detailConcurrency: number;
  /** The error policy of every transport (src/graphql/error-policy.ts). */
  errors: ErrorPolicy;
  /** GRAPHQL_INCREMENTAL_MAX_PARTS: an event answered in parts stops there, as an HTTP answer does. */
  maxIncrementalParts: number;
  /** The one log line and metric per operation (src/observability/operation-report.ts). */
  report: OperationReporter;
}

export type SubscriptionOperations = ReturnType<typeof createSubscriptionOperations>;

export function createSubscriptionOperations(deps: SubscriptionOperationDeps) {
  // The same error rules as POST /graphql (src/graphql/error-policy.ts).
  const formatErrors = (errors: readonly GraphQLError[]) => deps.errors.format(errors);

  const lines = createSubscribeLines(deps.report);
  const eventOptions = { errors: deps.errors, maxParts: deps.maxIncrementalParts };

  /** The subscription's own context runs only `subscribe`, which reads PharmaOne through the feed: its scope may make no call. */
  function subscriptionContext(caller: Caller, connection: FeedConnection, clientHeaders: IncomingHttpHeaders): GatewayContext {
    const noCalls = { client: deps.client, credentials: caller, upstreamTrace: [], deadline: createDeadline(1), maxCalls: 0 };
    const scope = createRequestScope({ ...noCalls, loaders: { detailConcurrency: deps.detailConcurrency } });
    return contextFor(deps, caller, connection, scope, deps.admission.quota?.tabFor(caller, clientHeaders));
  }

  /** An event runs on a context of its own: the subscriber's, over the event's request scope (shared by its scope's subscribers). */
  function eventContext(subscription: GatewayContext, payload: unknown): GatewayContext {
    const delivery = payload as FeedDelivery;
    if (delivery.kind !== 'event') return subscription;
    return contextFor(deps, subscription.caller, subscription.feedConnection, delivery.requestScope());
  }

  return {
    /** A refusal's errors as sent, and the HTTP status POST /graphql answers it with. */
    formatErrors,

    /** POST /graphql's `documentId` resolution (src/graphql/persisted-documents.ts): each transport applies it where its parameters are. */
    documentIds: deps.admission.documentIds,

    formatResult(result: ExecutionResult): ExecutionResult {
      if (!result.errors) return result;
      // graphql-ws and graphql-sse send what this returns; the shape is a formatted result.
      const errors = formatErrors(result.errors).errors as unknown as readonly GraphQLError[];
      return { ...result, errors };
    },

    /**
     * Parse, validate and admit; only subscriptions run here (queries and mutations have POST
     * /graphql). Writes the subscribe's log line and metric, admitted or refused.
     */
    async prepare(
      request: SubscribeRequest,
      params: { query?: unknown; variables?: unknown; operationName?: unknown },
      caller: Caller,
      connection: FeedConnection,
      /** The headers naming the client (the upgrade's or the SSE request's, with a WebSocket's init payload). */
      clientHeaders: IncomingHttpHeaders,
      /** An HTTP transport's hook for the client quota's RateLimit fields (and Retry-After), when the subscribe was counted. */
      answerHeaders?: (fields: Array<[string, string]>) => void,
    ): Promise<ExecutionArgs | readonly GraphQLError[]> {
      const { query, variables, operationName } = params;
      const context = subscriptionContext(caller, connection, clientHeaders);
      const prepared = expired(caller)
        ? [new GraphQLError('The sign-in token expired: sign in again and reconnect.', { extensions: { code: ErrorCode.UNAUTHENTICATED } })]
        : await prepareSubscription(deps, query, variables, operationName, context);
      const counted = context.quota && deps.admission.quota ? deps.admission.quota.headers(context.quota) : [];
      if (counted.length > 0) answerHeaders?.(counted);
      // Admitted: its line is written once the feed has taken or refused it (subscribe below).
      const clientName = clientNameOf(caller, clientHeaders);
      if ('schema' in prepared) lines.admitted(prepared.contextValue as GatewayContext, { request, operationName, caller, clientName });
      else {
        const refusal = formatErrors(prepared);
        const body = JSON.stringify({ errors: refusal.errors });
        lines.report(request, { status: refusal.status ?? 400, body, operationName, caller, clientName });
      }
      return prepared;
    },

    /** A subscribe refused before it reached prepare (by the transport's own request rules). */
    report: lines.report,

    /** graphql-js's subscribe (source stream, then one execution per event, ./map-events.ts), each event on its own context. */
    async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
      const subscription = args.contextValue as GatewayContext;
      const stream = await createSourceEventStream(args);
      // The feed's own refusals (its subscription limits, an org not granted) are answered here, as errors.
      lines.started(subscription, args, isAsyncIterable(stream) ? undefined : formatErrors(stream.errors ?? []).errors);
      if (!isAsyncIterable(stream)) return stream;
      // An event whose selection defers something answers in parts: successive `next` messages.
      return mapEvents(stream, (payload) =>
        executeEvent({ ...args, rootValue: payload, contextValue: eventContext(subscription, payload) }, eventOptions, execute),
      ) as AsyncIterableIterator<ExecutionResult>;
    },
  };
}

/** The one context of the feed's transports: a subscription's, and each of its events'. */
function contextFor(
  deps: Pick<SubscriptionOperationDeps, 'idempotency' | 'feed'>,
  caller: Caller,
  connection: FeedConnection | undefined,
  requestScope: RequestScope,
  quota?: QuotaTab | undefined,
): GatewayContext {
  return buildGatewayContext(caller, {
    quota,
    upstreamTrace: requestScope.upstreamTrace,
    requestScope: () => requestScope,
    idempotency: deps.idempotency,
    feed: deps.feed,
    feedConnection: connection,
  });
}

async function prepareSubscription(
  deps: Pick<SubscriptionOperationDeps, 'schema' | 'admission'>,
  query: unknown,
  variables: unknown,
  operationName: unknown,
  contextValue: GatewayContext,
): Promise<ExecutionArgs | readonly GraphQLError[]> {
  if (typeof query !== 'string') return [badRequest('Send the subscription document as `query`.')];
  const parsed = deps.admission.parseAndValidate(query);
  if (!('document' in parsed)) return parsed.errors;
  const { document } = parsed;
  const name = typeof operationName === 'string' ? operationName : undefined;
  const operation = getOperationAST(document, name);
  const variableValues = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
  const request = { document, source: query, queryHash: sha256Hex(query), operation, operationName: name, variables: variableValues };
  const refused = deps.admission.refusal(request);
  if (refused) return refused;
  if (operation?.operation !== 'subscription') {
    return [badRequest('Only subscriptions run here; send queries and mutations to POST /graphql.')];
  }
  // The list's last rule, the client quota: a subscribe costs its client SUBSCRIBE_CALLS (its events' polls are the org's).
  const overQuota = contextValue.quota && (await deps.admission.quota?.admit(contextValue.quota, SUBSCRIBE_CALLS));
  if (overQuota) return [overQuota];
  return { schema: deps.schema, document, variableValues, operationName: name, contextValue };
}

/** A BFF token checked at connection time can expire while its WebSocket stays open. */
function expired(caller: Caller): boolean {
  return caller.expiresAtMs !== undefined && caller.expiresAtMs <= Date.now();
}

function isAsyncIterable(value: AsyncIterable<unknown> | ExecutionResult): value is AsyncIterable<unknown> {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}
