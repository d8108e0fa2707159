// One operation's token lookups that may need an exchange, queued per credential, so that one
// operation makes at most one refused exchange per credential: a query naming 30 orgs with a bad
// key costs PharmaOne one POST /auth/token, not one per org (nor UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION).
//
// The rule, decided here: within one operation, once PharmaOne has refused a credential for any
// org (now, or remembered by the broker), the operation's later lookups of that credential that
// would need an exchange are refused without asking, with the same error. A key valid for org1
// and not for org2 is thereby refused for org1 too when org2 was asked first and org1 has no
// cached token: a pass-through key belongs to one org, so an operation mixing orgs under one key
// is already a mistake, and the next operation (org1 alone, or org1 first) is served. Across
// operations nothing carries over except the broker's per-org memory.
//
// Until then the credential's lookups run one at a time: the first finds out whether the key is
// refused before the next starts. That costs a multi-org key one exchange's latency per extra org
// on a cold cache, never more calls; lookups served from the token cache never wait here.
import type { Refusal } from './token-refusals.ts';
import { refusalError, refusalOf } from './token-refusals.ts';

export interface CredentialQueue {
  /** Runs `lookup` once the credential's earlier ones have settled; refused at once after a refusal. */
  run<T>(lookup: () => Promise<T>): Promise<T>;
  /** PharmaOne refused the credential (a refusal the broker remembered): later lookups are refused without asking. */
  refused(refusal: Refusal): void;
}

/** The operation's queues, one per credential (by its hash: the key itself is not needed here). */
export function createExchangeQueues(): (credential: string) => CredentialQueue {
  const queues = new Map<string, CredentialQueue>();
  return (credential) => {
    let queue = queues.get(credential);
    if (!queue) {
      queue = createQueue();
      queues.set(credential, queue);
    }
    return queue;
  };
}

function createQueue(): CredentialQueue {
  let refusal: Refusal | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(lookup) {
      if (refusal) return Promise.reject(refusalError(refusal));
      const result = tail.then(async () => {
        if (refusal) throw refusalError(refusal);
        try {
          return await lookup();
        } catch (error) {
          refusal ??= refusalOf(error) ?? undefined;
          throw error;
        }
      });
      tail = result.catch(() => undefined);
      return result;
    },
    refused(remembered) {
      refusal ??= remembered;
    },
  };
}
