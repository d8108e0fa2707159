// Placeholder until the Redis backend lands in this folder.
import type { Logger } from '../logging/logger.ts';
import type { FeedBackend } from './backend.ts';
import type { FeedSettings } from './settings.ts';

export async function createRedisFeedBackend(_url: string, _settings: FeedSettings, _logger: Logger): Promise<FeedBackend> {
  throw new Error('REDIS_URL: the Redis feed backend is not built yet.');
}
