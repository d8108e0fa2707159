// Where an observation becomes events: the scope's snapshot is read, the one rule
// (order-versions.ts) plans the change, and the bus commits the plan only if the snapshot is still
// the one it was planned on (compare-and-set, in memory or in one Redis script). A lost race is
// planned again on the new snapshot, so a change seen by two pollers or a poller and a write is
// one event.
import type { Logger } from '../../logging/logger.ts';
import type { FeedBus } from '../bus/feed-bus.ts';
import { emptySnapshot, planChanges } from './order-versions.ts';
import type { Observation, Snapshot } from './order-versions.ts';

const COMMIT_ATTEMPTS = 8;

export async function commitObservation(bus: FeedBus, logger: Logger, scopeId: string, observation: Observation): Promise<void> {
  for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
    const stored = await bus.readSnapshot(scopeId);
    const before = parseSnapshot(stored);
    const { after, events } = planChanges(before, observation);
    const committed = await bus.commit(scopeId, stored, JSON.stringify(after), events);
    if (committed) return;
  }
  logger.warn({ scope: scopeId.slice(0, 8) }, 'order feed: snapshot kept changing; observation dropped');
}

function parseSnapshot(text: string | null): Snapshot {
  if (text === null) return emptySnapshot();
  try {
    const parsed = JSON.parse(text) as Snapshot;
    if (parsed && typeof parsed === 'object' && typeof parsed.orders === 'object' && parsed.orders !== null) return parsed;
  } catch {
    // A damaged snapshot is replaced: the next poll is a fresh baseline.
  }
  return emptySnapshot();
}
