// A fleet as operators run one, on loopback: gateway replicas as their own processes sharing one
// redis-server, behind haproxy (bench/lib/haproxy.ts) with one spare slot for a rolling update's
// surge replica. stop() stops everything it started, whatever state the run left it in.
import type { Balancer } from './haproxy.ts';
import { startBalancer } from './haproxy.ts';
import { startGatewayProcess } from './processes.ts';
import type { Service } from './processes.ts';
import { startRedis } from './redis-server.ts';
import type { TestRedis } from './redis-server.ts';

export interface Fleet {
  balancer: Balancer;
  redis: TestRedis;
  /** The running replicas by port (a balancer slot). */
  replicas: Map<number, Service>;
  startReplica(port: number): Promise<Service>;
  stop(): Promise<void>;
}

export interface FleetOptions {
  sandboxUrl: string;
  replicas: number;
  /** More gateway settings (the drain's, the feed's). */
  env?: Record<string, string>;
}

/**
 * The drain settings a replica behind this balancer needs: the listener stays open well past the
 * balancer's detection of readiness 503 (three failed checks, 100 ms apart), and kept-alive
 * connections outlive the balancer's idle pool (purged after 1 s), so the balancer, not the
 * replica, closes them (no request races a closing connection).
 */
export const BEHIND_BALANCER = { SHUTDOWN_DELAY_MS: '2000', SHUTDOWN_GRACE_MS: '10000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000' };

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const replicas = new Map<number, Service>();
  const stop = async () => {
    for (const replica of replicas.values()) await replica.stop();
    for (const service of started.reverse()) await service.stop();
  };
  try {
    const redis = await startRedis({ maxmemory: '256mb', policy: 'noeviction' });
    started.push(redis);
    const balancer = await startBalancer({ slots: options.replicas + 1 });
    started.push(balancer);
    const env = {
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      GRAPHIQL_ENABLED: 'false',
      ...BEHIND_BALANCER,
      ...options.env,
    };
    const startReplica = (port: number) => startGatewayProcess(options.sandboxUrl, { ...env, PORT: String(port) });
    const first = balancer.slots.slice(0, options.replicas);
    await Promise.all(first.map(async (port) => replicas.set(port, await startReplica(port))));
    for (const port of first) await balancer.waitFor(port, 'UP');
    return { balancer, redis, replicas, startReplica, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
