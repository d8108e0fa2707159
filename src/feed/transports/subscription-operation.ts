// What both transports run for one subscription, so that WebSocket and SSE behave as one and as
// POST /graphql does: the document checked by POST's rules (size, parse, the same validation and
// limit rules, variables, the upstream-call budget), errors formatted by the one error map, and
// the contexts. A subscription's context and each of its events' are built by the one context
// builder (src/graphql/context.ts) over the one request-scope builder
// (src/graphql/request-scope.ts), complete when built and never changed after: graphql-js's own
// subscribe runs every event on the subscription's context, so the events run through subscribe()
// below, which hands each event the context of its own request scope.
import {
  GraphQLError,
  createSourceEventStream,
  execute,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLFormattedError, GraphQLSchema, ValidationRule } from 'graphql';
import type { Caller } from '../../auth/caller.ts';
import { buildGatewayContext } from '../../graphql/context.ts';
import type { GatewayContext } from '../../graphql/context.ts';
import { ErrorCode, formatClientError } from '../../graphql/errors.ts';
import { createRequestScope } from '../../graphql/request-scope.ts';
import type { RequestScope } from '../../graphql/request-scope.ts';
import { formatClientMistakes } from '../../graphql/safety/client-mistakes.ts';
import { queryLimitArmor } from '../../graphql/safety/query-limits.ts';
import type { QueryLimits } from '../../graphql/safety/query-limits.ts';
import { createUpstreamCallBudget } from '../../graphql/safety/upstream-call-budget.ts';
import type { UpstreamCallBudget } from '../../graphql/safety/upstream-call-budget.ts';
import type { PharmaOneClientDeps } from '../../upstream/pharmaone-client.ts';
import { createDeadline } from '../../upstream/resilience/deadline.ts';
import type { IdempotencyCoordinator } from '../../writes/keyed-write.ts';
import type { FeedConnection, FeedDelivery } from '../fan-out/subscriber.ts';
import type { OrderFeed } from '../order-feed.ts';

/** Larger subscribe messages or SSE bodies are refused: a subscription document is small. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface SubscriptionOperationDeps {
  schema: GraphQLSchema;
  feed: OrderFeed;
  client: PharmaOneClientDeps;
  idempotency: IdempotencyCoordinator;
  detailConcurrency: number;
  /** The same limits as queries (src/graphql/safety/query-limits.ts): depth, aliases, directives, tokens, bytes, upstream calls. */
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
  // The same limits as POST /graphql: depth, aliases and directives refused during validation.
  const checks: DocumentChecks = {
    schema: deps.schema,
    limits: deps.limits,
    rules: [...specifiedRules, ...queryLimitArmor(deps.limits).validationRules],
    // The same upstream-call budget as POST /graphql, per event: a subscription's selection runs once per event.
    budget: createUpstreamCallBudget(deps.limits),
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

    /** Parse and validate; only subscriptions run here (queries and mutations have POST /graphql). */
    prepare(query: unknown, variables: unknown, operationName: unknown, caller: Caller, connection: FeedConnection) {
      return prepareSubscription(checks, query, variables, operationName, subscriptionContext(caller, connection));
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

interface DocumentChecks {
  schema: GraphQLSchema;
  limits: QueryLimits;
  rules: readonly ValidationRule[];
  budget: UpstreamCallBudget;
}

function prepareSubscription(
  checks: DocumentChecks,
  query: unknown,
  variables: unknown,
  operationName: unknown,
  contextValue: GatewayContext,
): ExecutionArgs | readonly GraphQLError[] {
  const { schema, limits } = checks;
  if (typeof query !== 'string') return [badRequest('Send the subscription document as `query`.')];
  if (Buffer.byteLength(query) > limits.maxDocumentBytes) {
    return [badRequest(`The document exceeds ${limits.maxDocumentBytes} bytes (GRAPHQL_MAX_DOCUMENT_BYTES).`)];
  }
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    return [withCode(error instanceof GraphQLError ? error : badRequest('The document does not parse.'), 'GRAPHQL_PARSE_FAILED')];
  }
  // The same codes as Apollo gives these errors on POST /graphql.
  const errors = validate(schema, document, checks.rules).map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
  if (errors.length > 0) return errors;
  const name = typeof operationName === 'string' ? operationName : undefined;
  const operation = getOperationAST(document, name);
  if (operation?.operation !== 'subscription') {
    return [badRequest('Only subscriptions run here; send queries and mutations to POST /graphql.')];
  }
  const variableValues = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
  // Refused here, as Apollo refuses them on POST /graphql, rather than failing inside execution.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues, { maxErrors: 10 });
  if (coerced.errors) return coerced.errors.map((error) => withCode(error, ErrorCode.BAD_USER_INPUT));
  const refusal = checks.budget.refusalFor(schema, document, operation, variableValues);
  if (refusal) return [refusal];
  return { schema, document, variableValues, operationName: name, contextValue };
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

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}
