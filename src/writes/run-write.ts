// Runs one upstream write for a mutation: idempotency (claim, replay, conflict, single flight),
// exactly one attempt, and the failure mapped to userErrors by its class (src/upstream/classify.ts,
// the same classification the GraphQL error renderer reads). Validation happens before this.
import { GraphQLError } from 'graphql';
import type { UserError } from '../generated/graphql-types.ts';
import { MissingScopeError, OrgNotGrantedError } from '../auth/auth-errors.ts';
import { classify, ErrorCode } from '../upstream/classify.ts';
import type { FailureClass } from '../upstream/classify.ts';
import { InvalidUpstreamInputError, UpstreamStatusError } from '../upstream/upstream-errors.ts';
import { subjectOfRoute } from '../upstream/routes.ts';
import { hashInput } from './idempotency-store.ts';
import type { IdempotencyCoordinator } from './keyed-write.ts';

export type WriteOutcome =
  | { kind: 'done'; result: unknown }
  | { kind: 'rejected'; userErrors: UserError[] }
  /** Not a user error (401, a bug): rethrown for every request waiting on this write. */
  | { kind: 'thrown'; error: unknown };

/** Top-level error codes of a keyed write that was not sent; both are safe to retry with the same key. */
export const IdempotencyErrorCode = {
  /** Another replica is writing this key right now (its lease holds): retry shortly. */
  IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
  /** The shared idempotency store (Redis) is unreachable: nothing was sent. */
  STORE_UNAVAILABLE: 'IDEMPOTENCY_STORE_UNAVAILABLE',
} as const;

export interface WriteRequest<T> {
  store: IdempotencyCoordinator;
  /** The caller's authorization scope id (identity + grants): idempotency outcomes never cross it. */
  scopeId: string;
  orgId: string;
  mutation: string;
  /** The mutation's whole input: its hash tells a retry from a different request under the same key. */
  input: unknown;
  idempotencyKey: string | undefined;
  inputPath: (upstreamField: string) => string[] | null;
  /** The upstream write; `upstreamKey` is the Idempotency-Key to send (derived from the caller's key), undefined without one. */
  write: (upstreamKey: string | undefined) => Promise<T>;
  /** The minimal outcome kept for a replay (ids and what the payload needs); default: the result itself. Must be JSON. */
  keep?: (result: T) => unknown;
  /** Turns a kept outcome back into a result (e.g. re-reads the order); default: as kept. */
  replay?: (kept: unknown) => Promise<T>;
}

export async function runWrite<T>(request: WriteRequest<T>): Promise<{ ok: true; result: T } | { ok: false; userErrors: UserError[] }> {
  const outcome = request.idempotencyKey === undefined ? await attempt(request) : await attemptOnce(request, request.idempotencyKey);
  if (outcome.kind === 'thrown') throw outcome.error;
  return outcome.kind === 'done' ? { ok: true, result: outcome.result as T } : { ok: false, userErrors: outcome.userErrors };
}

async function attemptOnce<T>(request: WriteRequest<T>, key: string): Promise<WriteOutcome> {
  const result = await request.store.run<WriteOutcome>({
    slot: { scopeId: request.scopeId, orgId: request.orgId, mutation: request.mutation, key },
    inputHash: hashInput(request.input),
    async write(upstreamKey) {
      const outcome = await attempt(request, upstreamKey);
      // Only a write that happened is remembered; after any failure a retry with the key tries again
      // (PharmaOne sees the same Idempotency-Key, so a write that did land is not doubled).
      const keep = outcome.kind === 'done' ? JSON.stringify(request.keep ? request.keep(outcome.result as T) : outcome.result) : null;
      return { outcome, keep };
    },
  });
  switch (result.kind) {
    case 'ran':
      return result.outcome;
    case 'replayed': {
      const kept: unknown = JSON.parse(result.stored);
      return { kind: 'done', result: request.replay ? await request.replay(kept) : kept };
    }
    case 'conflict':
      return {
        kind: 'rejected',
        userErrors: [
          {
            field: ['input', 'idempotencyKey'],
            code: 'IDEMPOTENCY_KEY_REUSED',
            message: 'This idempotencyKey was already used with a different input. Nothing was sent; use a new key for a new request.',
          },
        ],
      };
    case 'lease_lost':
      return {
        kind: 'rejected',
        userErrors: [
          {
            field: null,
            code: 'OUTCOME_UNKNOWN',
            message:
              'The write was sent but this gateway could not record it under your idempotencyKey: it may or may not have happened. Retrying with the same idempotencyKey is safe.',
          },
        ],
      };
    case 'in_use':
      throw new GraphQLError(
        'Another request with this idempotencyKey is still being written. Nothing was sent; retry shortly with the same key.',
        {
          extensions: { code: IdempotencyErrorCode.IN_USE, retryable: true },
        },
      );
    case 'unavailable':
      throw new GraphQLError(
        'The idempotency store is unreachable, so this keyed write was not sent. Retry shortly with the same idempotencyKey; writes without a key are not affected.',
        { extensions: { code: IdempotencyErrorCode.STORE_UNAVAILABLE, retryable: true } },
      );
  }
}

async function attempt<T>(request: WriteRequest<T>, upstreamKey?: string): Promise<WriteOutcome> {
  try {
    return { kind: 'done', result: await request.write(upstreamKey) };
  } catch (error) {
    return outcomeOfFailure(error, request);
  }
}

/** Not about this write's input or outcome: the mutation field fails with the error itself. */
const THROWN_CODES = new Set<string>([ErrorCode.UNAUTHENTICATED, ErrorCode.INTERNAL_SERVER_ERROR, ErrorCode.QUERY_TOO_EXPENSIVE]);

interface FailureContext {
  inputPath: (upstreamField: string) => string[] | null;
  idempotencyKey: string | undefined;
}

/**
 * A failed write → the userErrors its payload reports (DESIGN.md §5: 400/409/422 become userErrors
 * on mutations). A 401 and anything that is no known failure stay errors (`thrown`).
 */
export function outcomeOfFailure(error: unknown, context: FailureContext): WriteOutcome {
  const failure = classify(error);
  if (failure === null || THROWN_CODES.has(failure.code)) {
    return { kind: 'thrown', error };
  }
  return { kind: 'rejected', userErrors: userErrorsFor(error, failure, context) };
}

function userErrorsFor(error: unknown, failure: FailureClass, context: FailureContext): UserError[] {
  if (failure.code === ErrorCode.UPSTREAM_UNAVAILABLE) {
    if (failure.reason === 'shop_proxy_not_configured') {
      return [
        {
          field: null,
          code: 'UPSTREAM_UNAVAILABLE',
          message: 'This gateway has no shop proxy configured (PHARMAONE_SHOP_URL_TEMPLATE); nothing was sent.',
        },
      ];
    }
    if (failure.delivery === 'not_sent') {
      return [
        { field: null, code: 'UPSTREAM_UNAVAILABLE', message: 'PharmaOne is unavailable and nothing was written. Try again shortly.' },
      ];
    }
    return [
      {
        field: null,
        code: 'OUTCOME_UNKNOWN',
        message: context.idempotencyKey
          ? 'PharmaOne did not confirm the write: it may or may not have happened. Retrying with the same idempotencyKey is safe and returns the original outcome without a second write.'
          : 'PharmaOne did not confirm the write: it may or may not have happened. Check before you retry; send an idempotencyKey to make retries safe.',
      },
    ];
  }
  if (error instanceof InvalidUpstreamInputError) {
    return [{ field: ['input', error.argument], code: 'INVALID_INPUT', message: error.message }];
  }
  if (error instanceof MissingScopeError) {
    return [{ field: null, code: 'FORBIDDEN', message: `The credential lacks the PharmaOne scope "${error.requiredScope}".` }];
  }
  if (error instanceof OrgNotGrantedError) {
    return [{ field: null, code: 'FORBIDDEN', message: `This caller may not reach org "${error.orgId}".` }];
  }
  if (!(error instanceof UpstreamStatusError)) {
    return [{ field: null, code: 'UPSTREAM_UNAVAILABLE', message: 'This write cannot be sent in one request; nothing was written.' }];
  }
  if (error.upstreamCode === 'idempotency_key_reused') {
    return [
      {
        field: ['input', 'idempotencyKey'],
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This idempotencyKey was already used with a different input.',
      },
    ];
  }
  switch (error.status) {
    case 403:
      return [
        {
          field: null,
          code: 'FORBIDDEN',
          message: error.requiredScope
            ? `The credential lacks the PharmaOne scope "${error.requiredScope}".`
            : 'The credential may not make this change.',
        },
      ];
    case 404:
      return [{ field: null, code: 'NOT_FOUND', message: `${subjectOfRoute(error.route) ?? 'The target'} was not found.` }];
    case 409:
      return [
        {
          field: ['input', 'status'],
          code: 'INVALID_TRANSITION',
          message: 'The order cannot move from its current status to the requested one.',
        },
      ];
    default:
      if (error.fields.length === 0) return [{ field: null, code: 'INVALID_INPUT', message: 'PharmaOne rejected the input as invalid.' }];
      // PharmaOne's own field names stay out of the message: the path says which input it was.
      return error.fields.map((upstreamField) => ({
        field: context.inputPath(upstreamField),
        code: 'INVALID_INPUT',
        message: 'PharmaOne rejected this value as missing or invalid.',
      }));
  }
}
