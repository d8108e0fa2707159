// Limits on things that stay alive (a connection's subscriptions, a caller's): the check and the
// count are one synchronous step, reserve(), so subscribes that arrive together cannot all pass a
// check made before an await and be counted after it. What reserve() hands out is the only way to
// lower a count again, and it lowers it once however many ways out call release().
import { GraphQLError } from 'graphql';
import type { FeedSettings } from '../settings.ts';

export interface LiveSlot {
  /** Gives the place back; later calls do nothing. */
  release(): void;
}

export interface LiveCountLimiter<K> {
  /** One more live thing under `key`, counted now; undefined when `key` already holds the limit. */
  reserve(key: K): LiveSlot | undefined;
  /** Live things under `key`. */
  count(key: K): number;
}

export function createLiveCountLimiter<K>(limit: number): LiveCountLimiter<K> {
  // Only keys holding something are kept: the map is as large as what is alive.
  const counts = new Map<K, number>();
  return {
    reserve(key) {
      const held = counts.get(key) ?? 0;
      if (held >= limit) return undefined;
      counts.set(key, held + 1);
      return onceOnly(() => {
        const left = (counts.get(key) ?? 1) - 1;
        if (left > 0) counts.set(key, left);
        else counts.delete(key);
      });
    },
    count: (key) => counts.get(key) ?? 0,
  };
}

/**
 * The feed's subscription limits: a place under ORDER_FEED_MAX_PER_CONNECTION (keyed by the
 * transport connection's identity) and ORDER_FEED_MAX_PER_CALLER at once, or neither.
 */
export function createSubscriptionPlaces(settings: Pick<FeedSettings, 'maxPerConnection' | 'maxPerCaller'>) {
  const perConnection = createLiveCountLimiter<object>(settings.maxPerConnection);
  const perCaller = createLiveCountLimiter<string>(settings.maxPerCaller);
  return {
    /** Throws TOO_MANY_SUBSCRIPTIONS when either is full (then nothing stays taken). */
    reserve(callerId: string, connection: object): LiveSlot {
      const onConnection = perConnection.reserve(connection);
      if (!onConnection) {
        throw tooManySubscriptions(
          `This connection already holds ${settings.maxPerConnection} subscriptions (ORDER_FEED_MAX_PER_CONNECTION).`,
        );
      }
      const ofCaller = perCaller.reserve(callerId);
      if (!ofCaller) {
        onConnection.release();
        throw tooManySubscriptions(`This caller already holds ${settings.maxPerCaller} subscriptions (ORDER_FEED_MAX_PER_CALLER).`);
      }
      return onceOnly(() => {
        onConnection.release();
        ofCaller.release();
      });
    },
  };
}

/**
 * ORDER_FEED_MAX_SCOPES: the scopes this replica watches at once (each holds a poller, a snapshot
 * and a resume window). A place is per subscription, keyed by its scope: subscriptions of a scope
 * already held share it, and the scope's place goes back with the last of them.
 */
export function createScopePlaces(settings: Pick<FeedSettings, 'maxScopes'>) {
  const holders = new Map<string, number>();
  return {
    /** Throws TOO_MANY_SUBSCRIPTIONS when `scopeId` is not held and ORDER_FEED_MAX_SCOPES are. */
    reserve(scopeId: string): LiveSlot {
      const held = holders.get(scopeId) ?? 0;
      if (held === 0 && holders.size >= settings.maxScopes) {
        throw tooManySubscriptions(
          `This gateway already watches ${settings.maxScopes} order feeds (an org and credential each; ORDER_FEED_MAX_SCOPES): subscribe again later.`,
        );
      }
      holders.set(scopeId, held + 1);
      return onceOnly(() => {
        const left = (holders.get(scopeId) ?? 1) - 1;
        if (left > 0) holders.set(scopeId, left);
        else holders.delete(scopeId);
      });
    },
    /** Scopes held. */
    count: (): number => holders.size,
  };
}

function tooManySubscriptions(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
}

function onceOnly(release: () => void): LiveSlot {
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      release();
    },
  };
}
