// Events of gateway writes: a write that changed or created an order publishes its event now, not
// at the next poll, through the same snapshot rule as the poller (so the poll that sees the change
// later adds nothing). It never throws, never delays the write's answer, and costs nothing when no
// replica watches the scope. A replica shutting down waits for its publications (OrderFeed.settle):
// the poll would not find an order that is no longer among the newest 100, so an event cut off
// by the process's exit would be lost for every subscriber.
import type { Caller } from '../../auth/caller.ts';
import type { Logger } from '../../logging/logger.ts';
import type { FeedBus, PollerLease } from '../bus/feed-bus.ts';
import type { FeedScopes } from '../feed-scope.ts';
import { usableRows } from './order-versions.ts';
import type { OrderRow } from './order-versions.ts';
import { commitObservation } from './snapshot-commit.ts';

export type WrittenOrder = { changed: OrderRow } | { createdOrderId: string };

export interface WriteEventDeps {
  scopes: FeedScopes;
  bus: FeedBus;
  lease: PollerLease;
  logger: Logger;
  /** Whether this replica has subscribers of the scope (then no need to ask the lease). */
  watchedHere(scopeId: string): boolean;
}

/** Resolves when the event is committed (or given up on); never rejects. */
export function publishWrite(deps: WriteEventDeps, caller: Caller, orgId: string, write: WrittenOrder): Promise<void> {
  return (async () => {
    const scope = deps.scopes.of(caller, orgId);
    if (!deps.watchedHere(scope.id) && !(await deps.lease.watched(scope.id))) return;
    const row = 'changed' in write ? write.changed : await deps.scopes.requestScope(scope).pharmaone.getOrder(orgId, write.createdOrderId);
    const [checked] = usableRows({ data: [row] }, 1);
    if (checked)
      await commitObservation(deps.bus, deps.logger, scope.id, { source: 'changed' in write ? 'changed' : 'created', rows: [checked] });
  })().catch((error: unknown) => deps.logger.warn({ err: error, org: orgId }, 'order feed: publishing a write failed'));
}

/**
 * The write events this replica is still publishing: shutdown waits for them (settle()) once no
 * request is in flight.
 */
export function createWritePublications(deps: WriteEventDeps) {
  const pending = new Set<Promise<void>>();
  return {
    publish(caller: Caller, orgId: string, write: WrittenOrder): void {
      const publication = publishWrite(deps, caller, orgId, write);
      pending.add(publication);
      void publication.finally(() => pending.delete(publication));
    },
    async settle(): Promise<void> {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
