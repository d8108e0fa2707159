// Runs one upstream write for a mutation: idempotency (claim, replay, conflict, single flight),
// exactly one attempt, and the failure mapped to userErrors by its class (src/upstream/classify.ts,
// the same classification the GraphQL error renderer reads). Validation happens before this.
import type { UserError } from '../generated/graphql-resolvers.ts';
import { MissingScopeError, OrgNotGrantedError } from '../auth/auth-errors.ts';
import { classify, ErrorCode } from '../upstream/classify.ts';
import type { FailureClass } from '../upstream/classify.ts';
import { InvalidUpstreamInputError, UpstreamStatusError } from '../upstream/upstream-errors.ts';
import { subjectOfRoute } from '../upstream/routes.ts';
import type { IdempotencyStore } from './idempotency-store.ts';
import { hashInput } from './idempotency-store.ts';

export type WriteOutcome =
  | { kind: 'done'; result: unknown }
  | { kind: 'rejected'; userErrors: UserError[] }
  /** Not a user error (401, a bug): rethrown for every request waiting on this write. */
  | { kind: 'thrown'; error: unknown };

export interface WriteRequest<T> {
  store: IdempotencyStore<WriteOutcome>;
  callerId: string;
  orgId: string;
  mutation: string;
  /** The mutation's whole input: its hash tells a retry from a different request under the same key. */
  input: unknown;
  idempotencyKey: string | undefined;
  inputPath: (upstreamField: string) => string[] | null;
  write: () => Promise<T>;
}

export async function runWrite<T>(request: WriteRequest<T>): Promise<{ ok: true; result: T } | { ok: false; userErrors: UserError[] }> {
  const outcome = request.idempotencyKey === undefined ? await attempt(request) : await attemptOnce(request, request.idempotencyKey);
  if (outcome.kind === 'thrown') throw outcome.error;
  return outcome.kind === 'done' ? { ok: true, result: outcome.result as T } : { ok: false, userErrors: outcome.userErrors };
}

async function attemptOnce<T>(request: WriteRequest<T>, key: string): Promise<WriteOutcome> {
  const scope = { callerId: request.callerId, orgId: request.orgId, mutation: request.mutation, key };
  const claim = await request.store.claim(scope, hashInput(request.input));
  if (claim.kind === 'conflict') {
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
  }
  if (claim.kind === 'replay') return claim.outcome;
  const outcome = await attempt(request);
  // Only a write that happened is remembered; after any failure a retry with the key tries again
  // (PharmaOne sees the same Idempotency-Key, so a write that did land is not doubled).
  claim.settle(outcome, { keep: outcome.kind === 'done' });
  return outcome;
}

async function attempt<T>(request: WriteRequest<T>): Promise<WriteOutcome> {
  try {
    return { kind: 'done', result: await request.write() };
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
