// The feed's fleet backend (REDIS_URL): a scope's snapshot, event log and lease live in Redis,
// and its events reach every replica over Redis pub/sub. Each commit is one Lua script, so the
// compare-and-set of the snapshot, the numbering of the events, their log entries and their
// PUBLISH happen as one step: every replica sees one order, and a change is one event whoever
// saw it. The integrator may swap the client factory for the project's shared one.
import { createClient } from 'redis';
import type { Logger } from '../../logging/logger.ts';
import { eventsAfter, newEpoch } from './feed-bus.ts';
import type { FeedBackend, FeedBus, FeedMessage, NewEvent, PollerLease, StoredEvent } from './feed-bus.ts';
import type { FeedSettings } from '../settings.ts';

const PREFIX = 'pharmaone-graph:feed:';

/** Keys of one scope; the `{scope}` hash tag keeps them in one Redis Cluster slot. */
function keys(scope: string) {
  const base = `${PREFIX}{${scope}}:`;
  return {
    snapshot: `${base}snapshot`,
    epoch: `${base}epoch`,
    seq: `${base}seq`,
    log: `${base}log`,
    lease: `${base}lease`,
    channel: `${base}events`,
  };
}

// KEYS: snapshot, epoch, seq, log. ARGV: hasExpected, expected, next, candidate epoch, ttlMs,
// maxEvents, channel, at, events… (JSON objects). Returns false on conflict, else {epoch, entries…}.
const COMMIT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return false end
elseif current ~= ARGV[2] then
  return false
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[5])
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[4]
  redis.call('SET', KEYS[2], epoch, 'PX', ARGV[5])
  redis.call('DEL', KEYS[3], KEYS[4])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
local stored = {}
for i = 9, #ARGV do
  local seq = redis.call('INCR', KEYS[3])
  local entry = '{"seq":' .. seq .. ',"at":"' .. ARGV[8] .. '",' .. string.sub(ARGV[i], 2)
  redis.call('RPUSH', KEYS[4], entry)
  stored[#stored + 1] = entry
end
if #stored > 0 then
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[6]), -1)
  redis.call('PUBLISH', ARGV[7], '{"kind":"events","epoch":"' .. epoch .. '","events":[' .. table.concat(stored, ',') .. ']}')
end
redis.call('PEXPIRE', KEYS[3], ARGV[5])
redis.call('PEXPIRE', KEYS[4], ARGV[5])
table.insert(stored, 1, epoch)
return stored
`;

// KEYS: epoch, seq, log. Returns {epoch or '', seq or '0', entries…}.
const READ_LOG = `
local out = redis.call('LRANGE', KEYS[3], 0, -1)
table.insert(out, 1, redis.call('GET', KEYS[2]) or '0')
table.insert(out, 1, redis.call('GET', KEYS[1]) or '')
return out
`;

// KEYS: lease. ARGV: holder, ttlMs. 1 while the holder has the lease.
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

export async function createRedisFeedBackend(url: string, settings: FeedSettings, logger: Logger): Promise<FeedBackend> {
  const onError = (error: Error) =>
    logger.warn({ err: { name: error.name, message: error.message } }, 'order feed: Redis connection error');
  const client = createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) } });
  client.on('error', onError);
  const subscriber = client.duplicate();
  subscriber.on('error', onError);
  // Not awaited, as the stores' connections (src/stores/redis.ts): a replica starts and serves while
  // Redis is down; the feed's commands wait in node-redis' queue until it is back.
  client.connect().catch(() => {});
  subscriber.connect().catch(() => {});
  const ttlMs = String(settings.resumeWindowMs);

  const bus: FeedBus = {
    async readSnapshot(scope) {
      return (await client.get(keys(scope).snapshot)) ?? null;
    },
    async commit(scope, expected, next, events: NewEvent[]) {
      const k = keys(scope);
      const reply = (await client.eval(COMMIT, {
        keys: [k.snapshot, k.epoch, k.seq, k.log],
        arguments: [
          expected === null ? '0' : '1',
          expected ?? '',
          next,
          newEpoch(),
          ttlMs,
          String(settings.resumeEvents),
          k.channel,
          new Date().toISOString(),
          ...events.map((event) => JSON.stringify(event)),
        ],
      })) as string[] | null;
      if (!reply) return null;
      const [epoch = '', ...entries] = reply;
      return { epoch, events: entries.map((entry) => JSON.parse(entry) as StoredEvent) };
    },
    async since(scope, epoch, afterSeq) {
      const k = keys(scope);
      const [storedEpoch = '', lastSeq = '0', ...entries] = (await client.eval(READ_LOG, { keys: [k.epoch, k.seq, k.log] })) as string[];
      if (storedEpoch !== epoch) return 'expired';
      return eventsAfter(
        entries.map((entry) => JSON.parse(entry) as StoredEvent),
        Number(lastSeq),
        afterSeq,
      );
    },
    async notify(scope, notice) {
      await client.publish(keys(scope).channel, JSON.stringify({ kind: 'notice', notice } satisfies FeedMessage));
    },
    async listen(scope, onMessage) {
      const channel = keys(scope).channel;
      const listener = (text: string) => {
        let message: FeedMessage;
        try {
          message = JSON.parse(text) as FeedMessage;
        } catch {
          return;
        }
        onMessage(message);
      };
      await subscriber.subscribe(channel, listener);
      return async () => {
        await subscriber.unsubscribe(channel, listener).catch(() => undefined);
      };
    },
    async close() {},
  };

  const lease: PollerLease = {
    async hold(scope, holder, leaseMs) {
      return (await client.eval(HOLD, { keys: [keys(scope).lease], arguments: [holder, String(leaseMs)] })) === 1;
    },
    async release(scope, holder) {
      await client.eval(RELEASE, { keys: [keys(scope).lease], arguments: [holder] });
    },
    async watched(scope) {
      return (await client.exists(keys(scope).lease)) === 1;
    },
  };

  return {
    bus,
    lease,
    async close() {
      // A client still (re)connecting has nothing to flush: stop it at once instead of waiting for Redis.
      for (const connection of [subscriber, client]) {
        if (!connection.isOpen) continue;
        if (connection.isReady) await connection.quit().catch(() => connection.destroy());
        else connection.destroy();
      }
    },
  };
}
