// The scopes this replica watches, and the fan-out of each one's bus messages to its local
// subscribers. A scope is watched while anyone here subscribes to it: one bus listener, and one
// poller started once the listener is live (so no event of the first poll is missed); the last
// subscriber's end stops both. Each message reaches every subscriber of the scope, with one request
// scope per event that they all share; a subscriber still reading its `after:` replay holds live
// messages until the replay is delivered.
import type { FeedBus, FeedMessage } from '../bus/feed-bus.ts';
import type { FeedScope, FeedScopes } from '../feed-scope.ts';
import { deliver } from './subscriber.ts';
import type { Subscriber } from './subscriber.ts';

export interface ScopeState {
  scope: FeedScope;
  subscribers: Set<Subscriber>;
  listening: Promise<() => Promise<void>>;
  poller: { stop(): Promise<void> };
}

export interface ScopeTableDeps {
  bus: FeedBus;
  scopes: FeedScopes;
  startPoller(scope: FeedScope): { stop(): Promise<void> };
  stats: { maxOutbox: number };
}

export type ScopeTable = ReturnType<typeof createScopeTable>;

export function createScopeTable(deps: ScopeTableDeps) {
  const { bus, stats } = deps;
  const states = new Map<string, ScopeState>();

  function onMessage(state: ScopeState, message: FeedMessage): void {
    const requestScope = deps.scopes.eventRequestScope(state.scope);
    for (const sub of state.subscribers) {
      if (sub.held) sub.held.push(message);
      else deliver(sub, message, requestScope, state.scope.orgId, stats);
    }
  }

  return {
    /** Adds the subscriber to its scope, watching the scope first if nobody here did. */
    join(scope: FeedScope, sub: Subscriber): ScopeState {
      let state = states.get(scope.id);
      if (!state) {
        const created: ScopeState = {
          scope,
          subscribers: new Set(),
          listening: Promise.resolve(async () => {}),
          poller: { stop: async () => {} },
        };
        created.listening = bus.listen(scope.id, (message) => onMessage(created, message));
        // The first poll waits until this replica hears the bus, so no event of it is missed.
        void created.listening.then(
          () => {
            if (states.get(scope.id) === created && created.subscribers.size > 0) created.poller = deps.startPoller(scope);
          },
          // The subscribe that waits on it fails and cleans up; nothing more to do here.
          () => undefined,
        );
        states.set(scope.id, created);
        state = created;
      }
      state.subscribers.add(sub);
      return state;
    },

    leave(state: ScopeState, sub: Subscriber): void {
      state.subscribers.delete(sub);
      if (state.subscribers.size > 0 || states.get(state.scope.id) !== state) return;
      // The last subscriber went: the poller stops and this replica stops listening.
      states.delete(state.scope.id);
      void state.poller.stop();
      void state.listening.then((unlisten) => unlisten()).catch(() => undefined);
    },

    watches: (scopeId: string): boolean => states.has(scopeId),

    all: (): ScopeState[] => [...states.values()],
  };
}
