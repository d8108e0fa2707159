// Where a scope's feed state lives and how its events travel: the FeedBus (snapshot, event log,
// fan-out) and the PollerLease (who polls a scope). In memory for one replica (this file), in
// Redis for a fleet (redis-bus.ts). A scope is one (upstream, org, credential): its id is a hash,
// and nothing of one scope — snapshot, events, cursors — is ever read under another.
import { randomBytes } from 'node:crypto';
import type { OrderEventType, OrderRow } from '../changes/order-versions.ts';

export interface StoredEvent {
  /** 1, 2, 3 … per scope and epoch: the order every subscriber sees. */
  seq: number;
  type: OrderEventType;
  /** ISO instant the event was published. */
  at: string;
  order: OrderRow;
  previousStatus: string | null;
}

/** A poll failure, told to the scope's subscribers (not logged, no cursor). */
export interface FeedNotice {
  code: string;
  message: string;
  retryInMs: number;
}

/** One commit's events travel together: a subscriber takes them as one batch. */
export type FeedMessage = { kind: 'events'; epoch: string; events: StoredEvent[] } | { kind: 'notice'; notice: FeedNotice };

export interface NewEvent {
  type: OrderEventType;
  order: OrderRow;
  previousStatus: string | null;
}

export interface FeedBus {
  /** The scope's snapshot as stored (JSON text), or null. */
  readSnapshot(scope: string): Promise<string | null>;
  /**
   * Atomically: if the snapshot is still `expected`, store `next`, append the events to the log and
   * publish them. Returns the events as stored, or null when the snapshot changed meanwhile.
   */
  commit(
    scope: string,
    expected: string | null,
    next: string,
    events: NewEvent[],
  ): Promise<{ epoch: string; events: StoredEvent[] } | null>;
  /** Events after `afterSeq` of this epoch, oldest first; 'expired' when any of them has left the window. */
  since(scope: string, epoch: string, afterSeq: number): Promise<StoredEvent[] | 'expired'>;
  notify(scope: string, notice: FeedNotice): Promise<void>;
  /** Every message published for the scope from now on, on any replica; resolves once listening. */
  listen(scope: string, onMessage: (message: FeedMessage) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface PollerLease {
  /** Takes or keeps the scope's lease for `ttlMs`; true while this holder has it. */
  hold(scope: string, holder: string, ttlMs: number): Promise<boolean>;
  release(scope: string, holder: string): Promise<void>;
  /** Whether any replica polls the scope (a write then fetches what its event needs). */
  watched(scope: string): Promise<boolean>;
}

/** A bus and its lease, as one backend (memory or Redis: backend.ts chooses) and its shutdown. */
export interface FeedBackend {
  bus: FeedBus;
  lease: PollerLease;
  close(): Promise<void>;
}

export function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}

interface MemoryScope {
  snapshot: string | null;
  epoch: string;
  seq: number;
  log: StoredEvent[];
  /** The first seq of this epoch: anything between it and log[0] has been trimmed. */
  lastWriteAt: number;
}

/**
 * One replica: state in a Map. A watched scope (one with listeners; ORDER_FEED_MAX_SCOPES of them
 * at most, src/feed/order-feed.ts) keeps its state; an ended one keeps it for `after:` resumes until
 * `resumeWindowMs` after its last write, and at most `maxEndedScopes` ended ones are kept: past
 * that the one that ended longest ago goes, and a cursor of it is expired. Each log holds
 * `resumeEvents` at most.
 */
export function createMemoryFeedBus(options: {
  resumeEvents: number;
  resumeWindowMs: number;
  maxEndedScopes: number;
  now?: () => number;
}): FeedBus & { retained(): { watched: number; ended: number } } {
  const now = options.now ?? Date.now;
  const scopes = new Map<string, MemoryScope>();
  const listeners = new Map<string, Set<(message: FeedMessage) => void>>();
  // The ended scopes whose state is kept, least recently ended first (a Map keeps insertion order).
  const ended = new Map<string, true>();

  function forget(id: string): void {
    scopes.delete(id);
    ended.delete(id);
  }

  /** `id` has state and nobody listens: it counts among the ended, newest; the oldest past the cap go. */
  function endScope(id: string): void {
    if (!scopes.has(id) || listeners.has(id)) return;
    ended.delete(id);
    ended.set(id, true);
    for (const oldest of ended.keys()) {
      if (ended.size <= options.maxEndedScopes) break;
      forget(oldest);
    }
  }

  function sweep(): void {
    for (const id of ended.keys()) {
      const state = scopes.get(id);
      if (!state || now() - state.lastWriteAt > options.resumeWindowMs) forget(id);
    }
  }

  function emit(scope: string, message: FeedMessage): void {
    for (const listener of listeners.get(scope) ?? []) listener(message);
  }

  return {
    async readSnapshot(scope) {
      sweep();
      return scopes.get(scope)?.snapshot ?? null;
    },
    async commit(scope, expected, next, events) {
      let state = scopes.get(scope);
      if ((state?.snapshot ?? null) !== expected) return null;
      state ??= { snapshot: null, epoch: newEpoch(), seq: 0, log: [], lastWriteAt: now() };
      scopes.set(scope, state);
      state.snapshot = next;
      state.lastWriteAt = now();
      const at = new Date(now()).toISOString();
      const stored = events.map((event) => ({ ...event, seq: ++state.seq, at }));
      state.log.push(...stored);
      if (state.log.length > options.resumeEvents) state.log.splice(0, state.log.length - options.resumeEvents);
      if (stored.length > 0) emit(scope, { kind: 'events', epoch: state.epoch, events: stored });
      // A poll that finishes after its scope's last subscriber left writes to an ended scope: it
      // counts under the cap like any other ended one.
      if (!ended.has(scope)) endScope(scope);
      return { epoch: state.epoch, events: stored };
    },
    async since(scope, epoch, afterSeq) {
      const state = scopes.get(scope);
      if (!state || state.epoch !== epoch) return 'expired';
      return eventsAfter(state.log, state.seq, afterSeq);
    },
    async notify(scope, notice) {
      emit(scope, { kind: 'notice', notice });
    },
    async listen(scope, onMessage) {
      const set = listeners.get(scope) ?? new Set();
      listeners.set(scope, set);
      set.add(onMessage);
      // Watched again: its state is no longer one of the ended ones the cap may drop.
      ended.delete(scope);
      return async () => {
        set.delete(onMessage);
        if (set.size > 0 || listeners.get(scope) !== set) return;
        listeners.delete(scope);
        endScope(scope);
        sweep();
      };
    },
    async close() {
      listeners.clear();
    },
    retained: () => ({ watched: scopes.size - ended.size, ended: ended.size }),
  };
}

/** The log's events after `afterSeq`, or 'expired' when the first of them was trimmed away. */
export function eventsAfter(log: StoredEvent[], lastSeq: number, afterSeq: number): StoredEvent[] | 'expired' {
  if (!Number.isInteger(afterSeq) || afterSeq < 0 || afterSeq > lastSeq) return 'expired';
  if (afterSeq === lastSeq) return [];
  const first = log[0];
  if (!first || first.seq > afterSeq + 1) return 'expired';
  return log.filter((event) => event.seq > afterSeq);
}

/** One replica polls everything it watches. */
export function createMemoryLease(): PollerLease & { holders: Map<string, string> } {
  const holders = new Map<string, string>();
  return {
    holders,
    async hold(scope, holder) {
      const current = holders.get(scope);
      if (current !== undefined && current !== holder) return false;
      holders.set(scope, holder);
      return true;
    },
    async release(scope, holder) {
      if (holders.get(scope) === holder) holders.delete(scope);
    },
    async watched(scope) {
      return holders.has(scope);
    },
  };
}

/** A cursor names an epoch and a position; it is opaque to clients. */
export function encodeCursor(epoch: string, seq: number): string {
  return Buffer.from(`${epoch}:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): { epoch: string; seq: number } | null {
  if (cursor.length > 100) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([A-Za-z0-9_-]{1,32}):(\d{1,15})$/.exec(text);
  const epoch = match?.[1];
  const seq = match?.[2];
  if (epoch === undefined || seq === undefined) return null;
  return { epoch, seq: Number(seq) };
}
