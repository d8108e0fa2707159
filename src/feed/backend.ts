// Where the feed keeps its state: in memory (one replica) or, with REDIS_URL, in Redis (a fleet).
import type { Logger } from '../logging/logger.ts';
import { createMemoryFeedBus, createMemoryLease } from './feed-bus.ts';
import type { FeedBus, PollerLease } from './feed-bus.ts';
import type { FeedSettings } from './settings.ts';

export interface FeedBackend {
  bus: FeedBus;
  lease: PollerLease;
  close(): Promise<void>;
}

export async function createFeedBackend(settings: FeedSettings, logger: Logger): Promise<FeedBackend> {
  if (settings.redisUrl) {
    const { createRedisFeedBackend } = await import('./redis-bus.ts');
    return createRedisFeedBackend(settings.redisUrl, settings, logger);
  }
  const bus = createMemoryFeedBus(settings);
  return { bus, lease: createMemoryLease(), close: () => bus.close() };
}
