// The admission of an operation: the one ordered list of rules every transport applies before any
// resolver runs (./admission-policy.ts names them and says which transport meets which). Parsing
// and validation take `parseOptions` and `validationRules` from here; a parsed, validated operation
// then goes through `refusal`, whatever carried it: Apollo's POST/GET pipeline (the plugin below),
// the prepared-operation fast path (./prepared-operations.ts), graphql-ws and graphql-sse
// (src/http/subscriptions/). Each rule is written once, so a refusal reads the same on every transport.
// The last rule, the client quota (./quota/client-quota.ts), needs the caller and a store, so it
// runs in `admit` (async), which every transport awaits once its request has a context.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, getVariableValues, parse, specifiedRules, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { createDocumentIds } from './persisted-documents.ts';
import { representationsRule } from './safety/representations-rule.ts';
import type { AdmissionRule } from './plugins/admission-rules.ts';
import { PERSISTED_QUERY_NOT_IN_LIST } from './plugins/persisted-queries.ts';
import type { Safelist } from './plugins/persisted-queries.ts';
import { BAD_REQUEST } from './safety/client-mistakes.ts';
import { queryLimitRules } from './safety/query-limits.ts';
import type { QueryLimits } from './safety/query-limits.ts';
import { createUpstreamCallBudget, fragmentsOf } from './safety/upstream-call-budget.ts';
import type { ClientQuota, QuotaTab } from './quota/client-quota.ts';

/** An operation as every transport has it once its document parsed and validated. */
export interface AdmissionRequest {
  document: DocumentNode;
  /** The document's text, as the caller sent it (or as the safelist holds it). */
  source: string;
  /** SHA-256 (hex) of `source`: what the safelist is keyed by. */
  queryHash: string;
  /** The operation chosen by operationName; null or undefined when none could be. */
  operation: OperationDefinitionNode | null | undefined;
  operationName: string | null | undefined;
  /** Raw, as the caller sent them. */
  variables: Record<string, unknown>;
}

/** The rules of the list, in order; the names are the policy's (./admission-policy.ts). */
export const ADMISSION_STEPS = [
  'operation-choice',
  'document-size',
  'safelist',
  'variable-coercion',
  'representations',
  'upstream-call-budget',
  'client-quota',
] as const;

export type Admission = ReturnType<typeof createAdmission>;

export function createAdmission(deps: {
  schema: GraphQLSchema;
  limits: QueryLimits;
  /** With `enforce`, only its operations run (PERSISTED_QUERIES_ENFORCE). */
  safelist?: Safelist | undefined;
  enforce?: boolean;
  /** The client quotas (./quota/client-quota.ts); unset: none. */
  quota?: ClientQuota | undefined;
}) {
  const { schema, limits } = deps;
  const budget = createUpstreamCallBudget(limits);
  // Rules on the variables' values; only a subgraph schema (`_entities`) has one today.
  const variableRules: AdmissionRule[] = [representationsRule(schema)].filter((rule) => rule !== undefined);
  const safelist = deps.enforce ? deps.safelist : undefined;

  /** Every refusal of the first rule that refuses, in the list's order; undefined: admitted. */
  function refusal(request: AdmissionRequest): readonly GraphQLError[] | undefined {
    return check(request).refused;
  }

  /** The list's verdict, and for an admitted operation its estimated PharmaOne calls (a batch sums them). */
  function check(request: AdmissionRequest): { refused: readonly GraphQLError[] } | { refused: undefined; estimate: number } {
    const refused = (errors: readonly GraphQLError[]) => ({ refused: errors });
    const { document, operation, variables } = request;
    if (!operation) return refused([operationChoiceRefusal(document, request.operationName)]);
    const size = Buffer.byteLength(request.source, 'utf8');
    if (size > limits.maxDocumentBytes) {
      return refused([refuse(`The GraphQL document is ${size} bytes; the limit is ${limits.maxDocumentBytes}.`, BAD_REQUEST, 413)]);
    }
    if (safelist && !safelist.operations.has(request.queryHash)) {
      return refused([
        refuse(
          'This gateway only runs the operations in its persisted-query safelist; this one is not in it.',
          PERSISTED_QUERY_NOT_IN_LIST,
          400,
        ),
      ]);
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return refused(coerced.errors.map(badUserInput));
    const fragments = fragmentsOf(document);
    for (const rule of variableRules) {
      const ruleRefusal = rule(operation, fragments, variables);
      if (ruleRefusal) return refused([ruleRefusal]);
    }
    const estimate = budget.estimate(schema, operation, fragments, variables);
    const overBudget = budget.refusal(estimate);
    return overBudget ? refused([overBudget]) : { refused: undefined, estimate };
  }

  const parseOptions = { maxTokens: limits.maxTokens };
  const validationRules = queryLimitRules(limits);
  const allRules = [...specifiedRules, ...validationRules];

  /**
   * Parsing and validation for a transport without Apollo, with Apollo's codes: every syntax error
   * GRAPHQL_PARSE_FAILED, every validation error GRAPHQL_VALIDATION_FAILED (whatever code a rule gave it).
   */
  function parseAndValidate(source: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    let document: DocumentNode;
    try {
      document = parse(source, parseOptions);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED', 400)] };
    }
    const errors = validate(schema, document, allRules);
    return errors.length > 0 ? { errors: errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED', 400)) } : { document };
  }

  return {
    schema,
    /** graphql-js parse options, for Apollo: the token limit, counted while parsing. */
    parseOptions,
    /** Validation rules beside graphql-js's own, for Apollo: depth, aliases, directives, introspection when off. */
    validationRules,
    parseAndValidate,
    refusal,
    check,
    /** The whole list for a request with a context: `check`, then the client quota on its tab (./quota/client-quota.ts). */
    admit: (request: AdmissionRequest, tab: QuotaTab | undefined) => admitWithQuota(check(request), deps.quota, tab),
    /** The client quotas, for the transports that settle and answer with their fields. */
    quota: deps.quota,
    /** The operation's estimated PharmaOne calls (the fast path keeps it for operations without variables). */
    budget,
    /**
     * What a `documentId` names (./persisted-documents.ts): every transport resolves it into the
     * document's text before parsing, so a document by id meets this very list.
     */
    documentIds: createDocumentIds(deps.safelist),
  };
}

/** Apollo's hook for the list: refuses at didResolveOperation, after parsing and validation, before any resolver. */
export function admissionPlugin<TContext extends BaseContext>(admission: Admission): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, source, queryHash, contextValue }) {
          const refused = await admission.admit(
            {
              document,
              source,
              queryHash,
              operation,
              operationName: request.operationName,
              variables: request.variables ?? {},
            },
            quotaTabOf(contextValue),
          );
          // A plugin can throw one error; several (variables only) are refused by execution's own
          // coercion, the same graphql-js call with the same arguments, before any resolver runs.
          if (refused?.length === 1) throw refused[0];
        },
      };
    },
  };
}

/**
 * The list's last rule after the others admitted: the client quota reserves the estimate from the
 * request's tab (a subscribe, whose estimate is per event, reserves SUBSCRIBE_CALLS through
 * `quota` itself). Undefined: admitted.
 */
async function admitWithQuota(
  verdict: { refused: readonly GraphQLError[] } | { refused: undefined; estimate: number },
  quota: ClientQuota | undefined,
  tab: QuotaTab | undefined,
): Promise<readonly GraphQLError[] | undefined> {
  if (verdict.refused) return verdict.refused;
  if (!tab || !quota) return undefined;
  const refused = await quota.admit(tab, verdict.estimate);
  return refused ? [refused] : undefined;
}

/** The request's quota tab, on a context built by ./context.ts. */
function quotaTabOf(context: unknown): QuotaTab | undefined {
  return (context as { quota?: QuotaTab | undefined }).quota;
}

/**
 * Several operations and no operationName, or a name that names none: the request is not a
 * well-formed GraphQL request (GraphQL over HTTP), answered 400 before anything else looks at it.
 */
function operationChoiceRefusal(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
  const message =
    operationName === undefined || operationName === null
      ? `The document holds ${operations} operations: name the one to run in operationName.`
      : 'operationName names no operation in the document.';
  return refuse(message, BAD_REQUEST, 400);
}

export function refuse(message: string, code: string, status: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

/** graphql-js's coercion error as Apollo answers it: BAD_USER_INPUT, HTTP 400. */
function badUserInput(error: GraphQLError): GraphQLError {
  return withCode(error, 'BAD_USER_INPUT', 400);
}

/** The error with Apollo's code for its kind, replacing any a rule gave it. */
function withCode(error: GraphQLError, code: string, status: number): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code, http: { status } },
  });
}
