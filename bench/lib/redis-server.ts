// A real redis-server (Debian's package; `npm test`'s pretest installs it when missing) on a free
// loopback port, with no persistence, for the fleet tests and `npm run chaos -- --fleet`. stop() and start() again on the same
// port simulate an outage and a restart (a restarted server comes back empty, as without AOF).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface TestRedis {
  url: string;
  port: number;
  /** The running server's process id (for CPU readings). */
  readonly pid: number;
  /** Starts the server again on the same port (after stop()). */
  start(): Promise<void>;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(options: { maxmemory?: string; policy?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory',
    options.maxmemory ?? '256mb',
    '--maxmemory-policy',
    options.policy ?? 'noeviction',
  ];

  async function start(): Promise<void> {
    const started = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const { stdout } = started;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          stdout.removeAllListeners('data');
          stdout.resume();
          resolve();
        }
      });
      started.once('error', reject);
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
    });
  }

  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid ?? 0;
    },
    start,
    stop,
  };
}
