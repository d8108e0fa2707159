// A highly available Redis on loopback, as the idempotency store runs in production: a primary,
// replicas (`replicaof`), Debian's redis-sentinel processes watching them, and a managed-style
// stable endpoint in front (a TCP proxy that asks Sentinel where the primary is and, when
// Sentinel promotes a replica, cuts every connection so clients reconnect to the new primary,
// as a cloud Redis endpoint does). The gateway only knows the endpoint's URL (REDIS_URL).
// Every node runs as a managed primary should: append-only file (everysec) and
// min-replicas-to-write, so a primary cut off from its replicas refuses writes instead of
// acknowledging records that a failover would lose.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort, REDIS_SERVER } from './redis-server.ts';

export const REDIS_SENTINEL = process.env.REDIS_SENTINEL_BIN ?? '/usr/bin/redis-sentinel';
export const MASTER_NAME = 'pharmaone-idempotency';

export interface RedisGroup {
  /** The stable endpoint: what REDIS_URL names. */
  url: string;
  /** Where the proxy sends connections now (the primary's port, as Sentinel says). */
  primaryPort(): number;
  /** SIGKILLs the current primary (a node lost with whatever it had not replicated). */
  killPrimary(): Promise<number>;
  /** Waits until Sentinel has promoted another node and the endpoint follows it. */
  waitForPromotion(from: number, timeoutMs?: number): Promise<number>;
  /** How many times the endpoint switched to a new primary. */
  switches(): number;
  stop(): Promise<void>;
}

export interface RedisGroupOptions {
  replicas: number;
  sentinels: number;
  /** Sentinel's down-after-milliseconds: how long a silent primary is tolerated. */
  downAfterMs?: number;
}

export async function startRedisGroup(options: RedisGroupOptions): Promise<RedisGroup> {
  const dir = mkdtempSync(join(tmpdir(), 'pharmaone-redis-group-'));
  const nodes = new Map<number, ChildProcess>();
  const children: ChildProcess[] = [];
  let proxy: ReturnType<typeof createServer> | undefined;
  let watcher: ReturnType<typeof createClient> | undefined;
  let poll: NodeJS.Timeout | undefined;
  const sockets = new Set<Socket>();

  const stop = async () => {
    clearInterval(poll);
    await watcher?.close().catch(() => undefined);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ports = await Promise.all(Array.from({ length: options.replicas + 1 }, () => freePort()));
    const [primary] = ports as [number, ...number[]];
    for (const [index, port] of ports.entries()) {
      const child = await startNode(REDIS_SERVER, nodeArgs(port, dir, index === 0 ? undefined : primary));
      children.push(child);
      nodes.set(port, child);
    }
    // min-replicas-to-write: the primary takes writes once its replicas are attached.
    await untilReplicated(primary, options.replicas);
    const sentinelPorts: number[] = [];
    for (let index = 0; index < options.sentinels; index++) {
      const port = await freePort();
      const configPath = join(dir, `sentinel-${port}.conf`);
      writeFileSync(configPath, sentinelConfig(port, primary, Math.floor(options.sentinels / 2) + 1, options.downAfterMs ?? 1_000));
      children.push(await startNode(REDIS_SENTINEL, [configPath]));
      sentinelPorts.push(port);
    }

    let target = primary;
    let switches = 0;
    watcher = createClient({ url: `redis://127.0.0.1:${sentinelPorts[0]}`, socket: { reconnectStrategy: () => 100 } });
    watcher.on('error', () => undefined);
    await watcher.connect();
    const follow = async () => {
      const answer = (await watcher?.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME]).catch(() => null)) as
        | string[]
        | null;
      const port = Number(answer?.[1]);
      if (!Number.isInteger(port) || port === target) return;
      target = port;
      switches += 1;
      // As a managed endpoint does on failover: existing connections go; clients reconnect to the new primary.
      for (const socket of sockets) socket.destroy();
    };
    poll = setInterval(() => void follow(), 50);

    proxy = stableEndpoint(() => target, sockets);
    const endpoint = await freePort();
    await new Promise<void>((resolve) => proxy?.listen(endpoint, '127.0.0.1', resolve));

    return {
      url: `redis://127.0.0.1:${endpoint}`,
      primaryPort: () => target,
      async killPrimary() {
        const killed = target;
        const child = nodes.get(killed);
        if (child) await stopChild(child, 'SIGKILL');
        return killed;
      },
      async waitForPromotion(from, timeoutMs = 30_000) {
        const started = Date.now();
        while (target === from) {
          if (Date.now() - started > timeoutMs) throw new Error(`Sentinel promoted no replica within ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return target;
      },
      switches: () => switches,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A TCP proxy to wherever `target()` says the primary is now; `sockets` are its connections. */
function stableEndpoint(target: () => number, sockets: Set<Socket>) {
  return createServer((client) => {
    sockets.add(client);
    const upstream = connect(target(), '127.0.0.1');
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
}

function nodeArgs(port: number, dir: string, primary: number | undefined): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfilename',
    `pharmaone-${port}.aof`,
    '--appenddirname',
    `pharmaone-appendonly-${port}`,
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory',
    '128mb',
    '--maxmemory-policy',
    'noeviction',
    // A primary that hears from no replica for 10 s refuses writes (NOREPLICAS): the gateway
    // answers them as retryable instead of acknowledging what a failover would lose.
    '--min-replicas-to-write',
    '1',
    '--min-replicas-max-lag',
    '10',
    ...(primary === undefined ? [] : ['--replicaof', '127.0.0.1', String(primary)]),
  ];
}

function sentinelConfig(port: number, primary: number, quorum: number, downAfterMs: number): string {
  return `port ${port}
bind 127.0.0.1
sentinel resolve-hostnames no
sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary} ${quorum}
sentinel down-after-milliseconds ${MASTER_NAME} ${downAfterMs}
sentinel failover-timeout ${MASTER_NAME} 10000
sentinel parallel-syncs ${MASTER_NAME} 1
`;
}

async function untilReplicated(primary: number, replicas: number): Promise<void> {
  const client = createClient({ url: `redis://127.0.0.1:${primary}` });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const started = Date.now();
    for (;;) {
      const info = String(await client.sendCommand(['INFO', 'replication']));
      if (Number(info.match(/connected_slaves:(\d+)/)?.[1]) >= replicas && !/state=(wait_bgsave|send_bulk)/.test(info)) return;
      if (Date.now() - started > 20_000) throw new Error(`the replicas did not attach:\n${info}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.close();
  }
}

async function startNode(binary: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections|Sentinel ID is|monitor master/.test(output)) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve();
      }
    });
    child.stderr?.resume();
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${binary} exited with ${code}:\n${output.slice(-2_000)}`)));
  });
  return child;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
