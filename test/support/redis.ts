// Test set-up's Redis: a real redis-server on a free loopback port (bench/lib/redis-server.ts, shared
// with the fleet chaos run).
export { freePort, startRedis } from '../../bench/lib/redis-server.ts';
export type { TestRedis } from '../../bench/lib/redis-server.ts';
