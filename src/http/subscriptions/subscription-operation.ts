// What both transports run for one subscription, so that WebSocket and SSE behave as one and as
// POST /graphql does: the document admitted by POST's own admission (src/graphql/admission.ts:
// size, parse, validation and limit rules, safelist, introspection, operation choice, variables,
// the upstream-call budget), errors formatted by the one error map, and the contexts. A subscription's context and each of its events' are built by the one context
// builder (src/graphql/context.ts) over the one request-scope builder
// (src/loaders/request-scope.ts), complete when built and never changed after: graphql-js's own
// subscribe runs every event on the subscription's context, so the events run through subscribe()
// below, which hands each event the context of its own request scope.
import { GraphQLError, createSourceEventStream, execute, getOperationAST } from 'graphql';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Caller } from '../../auth/caller.ts';
import type { Admission } from '../../graphql/admission.ts';
import { buildGatewayContext } from '../../graphql/context.ts';
import type { GatewayContext } from '../../graphql/context.ts';
import { ErrorCode, formatClientError } from '../../graphql/errors.ts';
import { createRequestScope } from '../../loaders/request-scope.ts';
import type { RequestScope } from '../../loaders/request-scope.ts';
import { sha256Hex } from '../../graphql/plugins/persisted-queries.ts';
import { formatClientMistakes } from '../../graphql/safety/client-mistakes.ts';
import type { QueryLimits } from '../../graphql/safety/query-limits.ts';
import type { PharmaOneClientDeps } from '../../upstream/pharmaone-client.ts';
import { createDeadline } from '../../upstream/resilience/deadline.ts';
import type { IdempotencyCoordinator } from '../../writes/keyed-write.ts';
import type { FeedConnection, FeedDelivery } from '../../feed/fan-out/subscriber.ts';
import type { OrderFeed } from '../../feed/order-feed.ts';

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
  /** The same limits as queries (src/graphql/safety/query-limits.ts): field suggestions here; the rest are the admission's. */
  limits: QueryLimits;
}

export type SubscriptionOperations = ReturnType<typeof createSubscriptionOperations>;

export function createSubscriptionOperations(deps: SubscriptionOperationDeps) {
  // The same error rules as POST /graphql: client mistakes are BAD_REQUEST, no suggestions in production.
  const formatWithClientMistakes = formatClientMistakes(formatClientError(), { suggestions: deps.limits.fieldSuggestions });
  // Apollo takes `extensions.http` (the status of its HTTP answer) off an error before formatting it; so do these.
  const formatError = (error: GraphQLError): GraphQLFormattedError => {
    const { http: _http, ...extensions } = error.extensions;
    return formatWithClientMistakes({ ...error.toJSON(), extensions }, error);
  };

  /** The one context of the feed's transports: a subscription's, and each of its events'. */
  function contextFor(caller: Caller, connection: FeedConnection | undefined, requestScope: RequestScope): GatewayContext {
    return buildGatewayContext(caller, {
      upstreamTrace: requestScope.upstreamTrace,
      requestScope: () => requestScope,
      idempotency: deps.idempotency,
      feed: deps.feed,
      feedConnection: connection,
    });
  }

  /** The subscription's own context runs only `subscribe`, which reads PharmaOne through the feed: its scope may make no call. */
  function subscriptionContext(caller: Caller, connection: FeedConnection): GatewayContext {
    const noCalls = { client: deps.client, credentials: caller, upstreamTrace: [], deadline: createDeadline(1), maxCalls: 0 };
    return contextFor(caller, connection, createRequestScope({ ...noCalls, loaders: { detailConcurrency: deps.detailConcurrency } }));
  }

  /** An event runs on a context of its own: the subscriber's, over the event's request scope (shared by its scope's subscribers). */
  function eventContext(subscription: GatewayContext, payload: unknown): GatewayContext {
    const delivery = payload as FeedDelivery;
    if (delivery.kind !== 'event') return subscription;
    return contextFor(subscription.caller, subscription.feedConnection, delivery.requestScope());
  }

  return {
    formatError,

    formatResult(result: ExecutionResult): ExecutionResult {
      if (!result.errors) return result;
      // graphql-ws and graphql-sse send what this returns; the shape is a formatted result.
      const errors = result.errors.map(formatError) as unknown as readonly GraphQLError[];
      return { ...result, errors };
    },

    /** Parse, validate and admit; only subscriptions run here (queries and mutations have POST /graphql). */
    prepare(query: unknown, variables: unknown, operationName: unknown, caller: Caller, connection: FeedConnection) {
      return prepareSubscription(deps, query, variables, operationName, subscriptionContext(caller, connection));
    },

    /** graphql-js's subscribe (source stream, then one execution per event), each event on its own context. */
    async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
      const stream = await createSourceEventStream(args);
      if (!isAsyncIterable(stream)) return stream;
      const subscription = args.contextValue as GatewayContext;
      return mapEvents(stream, (payload) => execute({ ...args, rootValue: payload, contextValue: eventContext(subscription, payload) }));
    },
  };
}

function prepareSubscription(
  deps: Pick<SubscriptionOperationDeps, 'schema' | 'admission'>,
  query: unknown,
  variables: unknown,
  operationName: unknown,
  contextValue: GatewayContext,
): ExecutionArgs | readonly GraphQLError[] {
  if (typeof query !== 'string') return [badRequest('Send the subscription document as `query`.')];
  const parsed = deps.admission.parseAndValidate(query);
  if (!('document' in parsed)) return parsed.errors;
  const { document } = parsed;
  const name = typeof operationName === 'string' ? operationName : undefined;
  const operation = getOperationAST(document, name);
  const variableValues = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
  const refused = deps.admission.refusal({
    document,
    source: query,
    queryHash: sha256Hex(query),
    operation,
    operationName: name,
    variables: variableValues,
  });
  if (refused) return refused;
  if (operation?.operation !== 'subscription') {
    return [badRequest('Only subscriptions run here; send queries and mutations to POST /graphql.')];
  }
  return { schema: deps.schema, document, variableValues, operationName: name, contextValue };
}

function isAsyncIterable(value: AsyncIterable<unknown> | ExecutionResult): value is AsyncIterable<unknown> {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/**
 * The events mapped to their results, as graphql-js maps them (graphql/execution/mapAsyncIterator,
 * internal to it): the transport's `return()` reaches the feed's outbox (the subscription ends
 * and gives back its place), and a failed execution closes the source before it is thrown.
 */
function mapEvents(source: AsyncIterable<unknown>, run: (payload: unknown) => ExecutionResult | Promise<ExecutionResult>) {
  const iterator = source[Symbol.asyncIterator]();
  async function returnIgnoringErrors(): Promise<void> {
    try {
      await iterator.return?.();
    } catch {
      // Keep the original error when closing the source also fails.
    }
  }
  async function mapResult(result: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> {
    if (result.done) return result;
    try {
      return { value: await run(result.value), done: false };
    } catch (error) {
      await returnIgnoringErrors();
      throw error;
    }
  }
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    next: async () => mapResult(await iterator.next()),
    return: async () => (iterator.return ? mapResult(await iterator.return()) : { value: undefined, done: true }),
    async throw(error: unknown) {
      if (iterator.throw) return mapResult(await iterator.throw(error));
      await returnIgnoringErrors();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}
