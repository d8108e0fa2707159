// The stores' Redis connection (node-redis; the live feed's pub/sub pair is src/feed/bus/redis-bus.ts). A connection that never blocks a
// request: commands are not queued while Redis is away (disableOfflineQueue) and each one is
// bounded by REDIS_COMMAND_TIMEOUT_MS, so an unreachable Redis is a fast, typed
// StoreUnavailableError and the callers decide (reads bypass caches, keyed writes refuse).
// The client reconnects by itself; no gateway restart is needed when Redis comes back.
import { createClient } from 'redis';

export class StoreUnavailableError extends Error {
  constructor(store: string) {
    super(`The shared ${store} store (Redis) is unreachable.`);
    this.name = 'StoreUnavailableError';
  }
}

export interface RedisConnection {
  /** What this connection serves, for errors, /readyz and metrics: "idempotency" or "cache". */
  readonly name: string;
  /** Connected and accepting commands. */
  ready(): boolean;
  /** Settles when the first connection attempt has ended, connected or not (never rejects). */
  readonly firstAttempt: Promise<void>;
  /** One command (`['GET', key]`); throws StoreUnavailableError when Redis is unreachable or too slow. */
  command(args: string[]): Promise<unknown>;
  /** A Lua script run atomically by Redis (EVAL: the script text is cached server-side). */
  script(source: string, keys: string[], args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export function connectRedis(
  url: string,
  name: string,
  options: { commandTimeoutMs: number; onReachableChange?: (reachable: boolean) => void },
): RedisConnection {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.commandTimeoutMs,
      // Keep trying for ever, at most every second: Redis coming back must heal the replica.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1_000),
    },
  });
  // Without a listener an 'error' event would crash the process; the state is visible in ready().
  // Transitions are reported once each (not every reconnect attempt), never with the URL (it may hold a password).
  let reachable = false;
  const report = (now: boolean) => {
    if (now === reachable) return;
    reachable = now;
    options.onReachableChange?.(now);
  };
  let attempted: () => void = () => undefined;
  const firstAttempt = new Promise<void>((resolve) => (attempted = resolve));
  client.on('error', () => {
    report(false);
    attempted();
  });
  client.on('end', () => report(false));
  client.on('ready', () => {
    report(true);
    attempted();
  });
  // Not awaited: a replica starts (and serves reads) while Redis is down.
  client.connect().catch(() => {});

  async function command(args: string[]): Promise<unknown> {
    if (!client.isReady) throw new StoreUnavailableError(name);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        client.sendCommand(args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreUnavailableError(name)), options.commandTimeoutMs);
        }),
      ]);
    } catch (error) {
      // A Lua or argument error is a bug, not an outage: let it surface as one.
      if (error instanceof Error && /^(ERR|WRONGTYPE|NOSCRIPT)/.test(error.message)) throw error;
      throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(name);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    name,
    ready: () => client.isReady,
    firstAttempt,
    command,
    script: (source, keys, args) => command(['EVAL', source, String(keys.length), ...keys, ...args]),
    async close() {
      if (!client.isOpen) return;
      // A client that is reconnecting has nothing to flush: stop it at once instead of waiting for Redis.
      if (!client.isReady) return client.destroy();
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}
