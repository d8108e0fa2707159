// Where the feed keeps its state: in memory (one replica) or, with REDIS_URL, in Redis (a fleet).
// The Redis client is loaded only when asked for; redis-bus.ts needs nothing of this file.
import type { Logger } from '../../logging/logger.ts';
import { createMemoryFeedBus, createMemoryLease } from './feed-bus.ts';
import type { FeedBackend } from './feed-bus.ts';
import type { FeedSettings } from '../settings.ts';

export async function createFeedBackend(settings: FeedSettings, logger: Logger): Promise<FeedBackend> {
  if (settings.redisUrl) {
    const { createRedisFeedBackend } = await import('./redis-bus.ts');
    return createRedisFeedBackend(settings.redisUrl, settings, logger);
  }
  const bus = createMemoryFeedBus(settings);
  return { bus, lease: createMemoryLease(), close: () => bus.close() };
}
