// Runs one upstream write for a mutation: idempotency (claim, replay, conflict, single flight),
// exactly one attempt, and the failure mapped to userErrors. Validation happens before this.
import type { UserError } from '../generated/graphql-resolvers.ts';
import { userErrorForFailedWrite } from '../graphql/errors.ts';
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
    try {
      return { kind: 'rejected', userErrors: userErrorForFailedWrite(error, request) };
    } catch (unmapped) {
      return { kind: 'thrown', error: unmapped };
    }
  }
}
