// A batch (a JSON array of operations in one POST, as Apollo Client's BatchHttpLink sends) as a
// whole, before any of it runs: batching on, at most GRAPHQL_BATCH_MAX operations, and the
// estimates of its operations together within the one upstream-call budget they share at run time
// (Apollo runs a batch's operations on one context: one request scope, one call counter, one set
// of loaders, so a batch costs no more PharmaOne calls than one operation with the same fields).
// An operation refused on its own (it does not parse, is over the budget alone, …) is left to the
// per-operation rules of the one admission (./admission.ts), which answer it in its own slot.
import { GraphQLError, getOperationAST } from 'graphql';
import { refuse } from './admission.ts';
import type { Admission } from './admission.ts';
import { sha256Hex } from './plugins/persisted-queries.ts';
import { BAD_REQUEST } from './safety/client-mistakes.ts';
import type { QueryLimits } from './safety/query-limits.ts';

export function createBatchAdmission(admission: Admission, limits: QueryLimits) {
  /** The estimate of one batched operation that every rule admits on its own; undefined otherwise. */
  function estimateAlone(piece: unknown): number | undefined {
    if (typeof piece !== 'object' || piece === null) return undefined;
    const { query, operationName, variables } = piece as { query?: unknown; operationName?: unknown; variables?: unknown };
    if (typeof query !== 'string') return undefined;
    const parsed = admission.parseAndValidate(query);
    if (!('document' in parsed)) return undefined;
    const name = typeof operationName === 'string' ? operationName : undefined;
    const values = typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
    const operation = getOperationAST(parsed.document, name) ?? undefined;
    const request = {
      document: parsed.document,
      operation,
      source: query,
      queryHash: sha256Hex(query),
      operationName: name,
      variables: values,
    };
    if (!operation) return undefined;
    const verdict = admission.check(request);
    return verdict.refused === undefined ? verdict.estimate : undefined;
  }

  /** The error refusing the whole batch, or undefined when its operations may run. */
  return function batchRefusal(pieces: readonly unknown[]): GraphQLError | undefined {
    const max = limits.maxBatchOperations;
    if (max === 0)
      return refuse('Operation batching is off on this gateway (GRAPHQL_BATCH_MAX=0): send one operation per request.', BAD_REQUEST, 400);
    if (pieces.length === 0) return refuse('A batch needs at least one operation.', BAD_REQUEST, 400);
    if (pieces.length > max) {
      return refuse(`A batch holds at most ${max} operations (GRAPHQL_BATCH_MAX); this one holds ${pieces.length}.`, BAD_REQUEST, 400);
    }
    let total = 0;
    for (const piece of pieces) total += estimateAlone(piece) ?? 0;
    if (total <= limits.upstreamCallBudget) return undefined;
    return new GraphQLError(
      `This batch could make up to ${total} PharmaOne calls together; the limit is ${limits.upstreamCallBudget} for the whole batch. ` +
        'Send fewer operations per batch, or ask for less in each.',
      {
        extensions: {
          code: 'QUERY_TOO_EXPENSIVE',
          estimatedUpstreamCalls: total,
          upstreamCallBudget: limits.upstreamCallBudget,
          http: { status: 400 },
        },
      },
    );
  };
}
