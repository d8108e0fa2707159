// readStoreConfig: defaults (in memory, one replica), the Redis URLs, and clear refusals that
// never echo a URL (it may hold a password).
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { readStoreConfig } from '../../src/stores/config.ts';

describe('readStoreConfig', () => {
  it('defaults to in-memory stores with documented bounds', () => {
    expect(parseEnv({}, readStoreConfig)).toEqual({
      redisUrl: undefined,
      redisIdempotencyUrl: undefined,
      redisCommandTimeoutMs: 1_000,
      apqTtlSeconds: 86_400,
      idempotency: { cacheBytes: 32 * 1024 * 1024, leaseMs: 10_000, waitMs: 2_000 },
    });
  });

  it('puts idempotency on REDIS_URL unless REDIS_IDEMPOTENCY_URL names its own instance', () => {
    expect(parseEnv({ REDIS_URL: 'redis://cache:6379' }, readStoreConfig)).toMatchObject({
      redisUrl: 'redis://cache:6379',
      redisIdempotencyUrl: 'redis://cache:6379',
    });
    expect(parseEnv({ REDIS_URL: 'redis://cache:6379', REDIS_IDEMPOTENCY_URL: 'rediss://idem:6380/1' }, readStoreConfig)).toMatchObject({
      redisUrl: 'redis://cache:6379',
      redisIdempotencyUrl: 'rediss://idem:6380/1',
    });
  });

  it.each([
    ['REDIS_URL', 'http://user:s3cret@cache:6379'],
    ['REDIS_URL', 'not a url s3cret'],
    ['REDIS_IDEMPOTENCY_URL', 'postgres://u:s3cret@db/x'],
  ])('refuses %s=%s without repeating it', (name, value) => {
    expect(() => parseEnv({ [name]: value }, readStoreConfig)).toThrow(`${name} must be an absolute redis/rediss URL`);
    expect(() => parseEnv({ [name]: value }, readStoreConfig)).not.toThrow(/s3cret/);
  });

  it.each([
    ['IDEMPOTENCY_CACHE_MB', '0'],
    ['IDEMPOTENCY_LEASE_MS', '50'],
    ['IDEMPOTENCY_WAIT_MS', '-1'],
    ['REDIS_COMMAND_TIMEOUT_MS', 'soon'],
    ['APQ_TTL_SECONDS', '1.5'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => parseEnv({ [name]: value }, readStoreConfig)).toThrow(name);
  });
});
