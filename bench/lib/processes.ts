// Starts the sandbox and the gateway as their own processes (as operators run them), so the
// benchmark client, the gateway and the upstream do not share one event loop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Service {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Spawns `node <entry>` and waits for a stdout line matching `ready` (its first group is the URL). */
export async function startService(entry: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Service> {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match?.[1]) {
        // Later output (per-request logs) is dropped, not kept in this process for the whole run.
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready:\n${output}`)));
  });
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startSandboxProcess(env: Record<string, string> = {}): Promise<Service> {
  return startService('src/sandbox/main.ts', { SANDBOX_PORT: '0', ...env }, /sandbox listening on (http:\/\/\S+)/);
}

export async function startGatewayProcess(baseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Service> {
  return startService(
    'src/main.ts',
    { PORT: '0', HOST: '127.0.0.1', PHARMAONE_BASE_URL: baseUrl, PHARMAONE_SHOP_URL_TEMPLATE: `${baseUrl}/shops/{shopId}`, ...env },
    /gateway on (http:\/\/\S+)/,
    nodeArgs,
  );
}
