// Starts the sandbox and the gateway as their own processes (as operators run them), so the
// benchmark client, the gateway and the upstream do not share one event loop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Service {
  url: string;
  pid: number;
  /** Graceful: SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** Sudden death (SIGKILL), as a crashed or OOM-killed replica; waits for the exit. */
  kill(): Promise<void>;
  /** Resolves when the process exits, with its exit code (null after a signal). */
  exited: Promise<number | null>;
  /** With `inspect`: the process's inspector WebSocket URL (bench/lib/inspector.ts). */
  inspectorUrl?: string;
}

export interface ServiceOptions {
  /** Arguments for node itself, e.g. ['--max-old-space-size=192']. */
  nodeArgs?: string[];
  /**
   * Opens the inspector on a free loopback port, so a measurement can run a full garbage
   * collection before reading the heap (what is kept, not what is waiting to be collected).
   */
  inspect?: boolean;
  /** Another checkout to run the entry from (a baseline commit's worktree, to compare in one run). */
  root?: string;
}

/** Spawns `node <entry>` and waits for a stdout line matching `ready` (its first group is the URL). */
export async function startService(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  options: ServiceOptions = {},
): Promise<Service> {
  const inspect = options.inspect ? ['--inspect=127.0.0.1:0'] : [];
  const child = spawn(process.execPath, [...inspect, ...(options.nodeArgs ?? []), entry], {
    cwd: options.root ?? root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', options.inspect ? 'pipe' : 'inherit'],
  });
  const { stdout, stderr, pid } = child;
  if (!stdout || pid === undefined) throw new Error(`${entry} did not start (no pid or stdout)`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const inspectorUrl = stderr ? inspectorAddress(stderr) : undefined;
  // Awaited once the service is ready; a process that never gets there fails on its readiness line instead.
  inspectorUrl?.catch(() => undefined);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match?.[1]) {
        // Later output (per-request logs) is dropped, not kept in this process for the whole run.
        stdout.removeAllListeners('data');
        stdout.resume();
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`)));
  });
  const service: Service = { url, pid, stop: () => signalChild(child, 'SIGTERM'), kill: () => signalChild(child, 'SIGKILL'), exited };
  if (inspectorUrl) service.inspectorUrl = await inspectorUrl;
  return service;
}

/**
 * The inspector's URL from node's "Debugger listening on ws://…" line. The rest of stderr is passed
 * on, without node's lines about the inspector itself (one per session a measurement opens).
 */
function inspectorAddress(stderr: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let partial = '';
    let seen = '';
    stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const listening = line.match(/^Debugger listening on (ws:\/\/\S+)/);
        if (listening?.[1]) resolve(listening[1]);
        else if (!/^(Debugger attached\.|Debugger ending on |For help, see: )/.test(line)) process.stderr.write(`${line}\n`);
        if (seen.length < 10_000) seen += `${line}\n`;
      }
    });
    stderr.once('end', () => reject(new Error(`no inspector address in the process's output:\n${seen}${partial}`)));
  });
}

function signalChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startSandboxProcess(env: Record<string, string> = {}): Promise<Service> {
  return startService('src/sandbox/main.ts', { SANDBOX_PORT: '0', ...env }, /sandbox listening on (http:\/\/\S+)/);
}

export async function startGatewayProcess(
  baseUrl: string,
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<Service> {
  return startService(
    'src/main.ts',
    { PORT: '0', HOST: '127.0.0.1', PHARMAONE_BASE_URL: baseUrl, PHARMAONE_SHOP_URL_TEMPLATE: `${baseUrl}/shops/{shopId}`, ...env },
    /gateway on (http:\/\/\S+)/,
    options,
  );
}
