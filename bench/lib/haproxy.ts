// A real load balancer in front of gateway replicas: Debian's haproxy (`npm test`'s pretest
// installs it when missing), standing in for a Kubernetes Service/Ingress. It health-checks
// `/readyz` and sends traffic only to replicas that answer 200, so a draining replica (503) leaves
// the rotation before its listener closes. WebSockets and SSE streams pass in `mode http`:
// upgraded connections live under `timeout tunnel`, and haproxy forwards a response's bytes as
// they arrive (no response buffering), so SSE events are not held.
//
// The backend has fixed slots (ports); a slot with no process behind it is simply DOWN. A rolling
// update starts a new replica on a free slot, waits for haproxy to see it UP, then stops an old one.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.ts';

export const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

export interface Balancer {
  /** The GraphQL URL through the balancer. */
  url: string;
  port: number;
  /** The backend's slots: the ports a replica may listen on. */
  slots: number[];
  /** Each slot's state as haproxy sees it now: 'UP', 'DOWN', 'MAINT', … */
  states(): Promise<Map<number, string>>;
  /** Waits until haproxy sees the slot in `state` (health checks run every `checkIntervalMs`). */
  waitFor(slot: number, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface BalancerOptions {
  slots: number;
  /** Health check interval; a replica leaves the rotation after three failed checks, joins after two good ones. */
  checkIntervalMs?: number;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  const port = await freePort();
  const statsPort = await freePort();
  const slots: number[] = [];
  for (let index = 0; index < options.slots; index++) slots.push(await freePort());
  const inter = options.checkIntervalMs ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'pharmaone-haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, haproxyConfig({ port, statsPort, slots, inter }));
  const child = spawn(HAPROXY, ['-db', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => undefined);

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }

  const states = async (): Promise<Map<number, string>> => {
    const csv = await adminCommand(statsPort, 'show stat');
    const byPort = new Map<number, string>();
    const lines = csv.split('\n');
    const header = (lines[0] ?? '').replace(/^# /, '').split(',');
    const [pxname, svname, status] = ['pxname', 'svname', 'status'].map((name) => header.indexOf(name));
    for (const line of lines.slice(1)) {
      const fields = line.split(',');
      const name = fields[svname ?? -1] ?? '';
      const slot = slots[Number(name.replace(/^slot/, ''))];
      if (fields[pxname ?? -1] === 'gateways' && name.startsWith('slot') && slot !== undefined)
        byPort.set(slot, fields[status ?? -1] ?? '');
    }
    return byPort;
  };

  try {
    // Ready once the admin socket answers and every slot has had its first check (all DOWN: nothing runs yet).
    await until(async () => {
      const now = await states().catch(() => new Map<number, string>());
      return now.size === slots.length && [...now.values()].every((state) => state.startsWith('DOWN'));
    }, 10_000);
  } catch (error) {
    await stop();
    throw new Error(`haproxy did not start: ${(error as Error).message}\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    slots,
    states,
    async waitFor(slot, state, timeoutMs = 15_000) {
      await until(async () => ((await states()).get(slot) ?? '').startsWith(state), timeoutMs).catch(() => {
        throw new Error(`haproxy did not see slot ${slot} ${state} within ${timeoutMs} ms`);
      });
    },
    stop,
  };
}

function haproxyConfig(options: { port: number; statsPort: number; slots: number[]; inter: number }): string {
  const { port, statsPort, slots, inter } = options;
  return `global
  maxconn 4096
  stats socket ipv4@127.0.0.1:${statsPort} level admin

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  # Idle client connections: above the load client's own keep-alive (undici's 4 s), so the client closes first.
  timeout http-keep-alive 10s
  # Upgraded WebSockets: the feed's heartbeat keeps them busy well inside this.
  timeout tunnel 1h
  # A replica slow to answer one check under load stays in: only three failed checks take it out.
  timeout check 5s
  # Only a failed connect is retried (the default): a request already sent is never replayed by the balancer.
  retries 3
  option redispatch

frontend graphql
  bind 127.0.0.1:${port}
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  # Idle server connections are purged well before the gateway's HTTP_KEEP_ALIVE_TIMEOUT_MS.
  default-server inter ${inter} fastinter ${inter} downinter ${inter} fall 3 rise 2 pool-purge-delay 1s
${slots.map((slot, index) => `  server slot${index} 127.0.0.1:${slot} check`).join('\n')}
`;
}

/** One command on haproxy's admin socket (management.txt §9.3); the answer ends when haproxy closes. */
function adminCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('admin socket timed out')));
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/** Polls a condition until it holds; the timeout only turns a hang into a failure. */
async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
