// `npm start`, `npm run sandbox` and `npm run federation:demo` as a developer (or a process
// manager) runs them: npm forwards SIGTERM to its script's shell, and dash (Debian's /bin/sh) dies
// of it without passing it on, which once left the gateway running, still ready, port bound. The
// scripts `exec` node, so the signal reaches the server itself. Asserted on the real process tree:
// every process npm started is gone, npm exits 0, the ports are free, and a request in flight
// still completes.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { Sandbox } from '../support/gateway.ts';
import { ORG1_KEY } from '../support/gateway.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SLOW_MS = 1_200;
const packageScripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

let sandbox: Sandbox | undefined;
const started: ChildProcess[] = [];
/** Every process npm started, seen while it ran: if npm loses them, they are orphans to reap here. */
const npmTree: number[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    for (const pid of descendants(child.pid ?? -1)) killQuietly(pid);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const pid of npmTree.splice(0)) killQuietly(pid);
  await sandbox?.close();
  sandbox = undefined;
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Every live process below `pid` (from /proc: pid → ppid). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const children = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([child]) => child);
    found.push(...children);
    frontier = children;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `npm <args>` with `env`; resolves once `ready` matches its output (group 1 is returned). */
async function startNpm(args: string[], env: Record<string, string>, ready: RegExp) {
  const child = spawn('npm', args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const match = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output)?.[1];
      if (found) resolve(found);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(({ code }) => reject(new Error(`npm ${args.join(' ')} exited with ${code} before it was ready:\n${output}`)));
  });
  const tree = descendants(child.pid ?? -1);
  npmTree.push(...tree);
  return { child, exit, match, tree, output: () => output };
}

describe('npm start', () => {
  it('passes SIGTERM to the gateway: the request in flight completes, the process tree exits 0 and the port is free', async () => {
    sandbox = await startSandbox({ port: 0 });
    const npm = await startNpm(
      ['start'],
      {
        NODE_ENV: 'production',
        PHARMAONE_BASE_URL: sandbox.url,
        PORT: '0',
        HOST: '127.0.0.1',
        SHUTDOWN_DELAY_MS: '200',
        LOG_LEVEL: 'silent',
        GRAPHIQL_ENABLED: 'false',
      },
      /gateway on (http:\/\/127\.0\.0\.1:\d+)\/graphql/,
    );
    const origin = npm.match;
    const port = Number(new URL(origin).port);
    const { tree } = npm;
    expect(tree.length).toBeGreaterThan(0);

    sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders', latencyMs: SLOW_MS }]);
    const slow = request(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
      body: JSON.stringify({ query: '{ org(id: "org1") { orders(first: 2) { nodes { id } } } }' }),
    });
    // The request has reached PharmaOne (the sandbox logged it) before the signal is sent.
    for (let tries = 0; tries < 100 && !sandbox.calls.list().some((call) => call.path.endsWith('/orders')); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    npm.child.kill('SIGTERM');

    const res = await slow;
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { data?: { org: { orders: { nodes: unknown[] } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.org.orders.nodes).toHaveLength(2);

    expect(await npm.exit).toEqual({ code: 0, signal: null });
    expect(npm.output()).toContain('drained; exiting');
    expect(tree.filter(alive)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  });
});

describe('npm run sandbox', () => {
  it('passes SIGTERM to the sandbox: the process tree exits 0 and the port is free', async () => {
    const npm = await startNpm(['run', 'sandbox'], { SANDBOX_PORT: '0' }, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    const port = Number(new URL(npm.match).port);
    const { tree } = npm;
    expect(tree.length).toBeGreaterThan(0);
    const token = await fetch(`${npm.match}/api/v2/public/orgs/org1/auth/token`, { method: 'POST', headers: { apikey: ORG1_KEY } });
    expect(token.status).toBe(200);

    npm.child.kill('SIGTERM');

    expect(await npm.exit).toEqual({ code: 0, signal: null });
    expect(tree.filter(alive)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  });
});

describe('npm run federation:demo', () => {
  it('passes SIGTERM to the demo: the process tree exits 0 and all four ports are free', async () => {
    const ports = {
      FEDERATION_DEMO_SANDBOX_PORT: '0',
      FEDERATION_DEMO_PHARMAONE_PORT: '0',
      FEDERATION_DEMO_DELIVERIES_PORT: '0',
      FEDERATION_DEMO_ROUTER_PORT: '0',
    };
    const npm = await startNpm(['run', 'federation:demo'], { ...ports, LOG_LEVEL: 'silent' }, /Hive Gateway\s+(http:\/\/127\.0\.0\.1:\d+)/);
    const listening = [
      ...npm
        .output()
        .matchAll(/^(?:PharmaOne sandbox|PharmaOne subgraph|deliveries subgraph|Hive Gateway)\s+http:\/\/127\.0\.0\.1:(\d+)/gm),
    ].map(([, port]) => Number(port));
    expect(new Set(listening).size).toBe(4);
    const { tree } = npm;
    expect(tree.length).toBeGreaterThan(0);
    const answer = await fetch(`${npm.match}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
      body: JSON.stringify({ query: '{ recentDeliveries(orgId: "org1") { id order { id } } }' }),
    });
    expect(answer.status).toBe(200);

    npm.child.kill('SIGTERM');

    expect(await npm.exit).toEqual({ code: 0, signal: null });
    expect(tree.filter(alive)).toEqual([]);
    for (const port of listening) expect(await portIsFree(port)).toBe(true);
  });

  it("defaults to ports clear of npm start's gateway and sandbox", () => {
    const demo = readFileSync(`${root}examples/federation/demo.ts`, 'utf8');
    const defaults = [...demo.matchAll(/port\('(\w+)', (\d+)\)/g)].map(([, name, port]) => [name, Number(port)] as const);
    expect(defaults.map(([name]) => name).sort()).toEqual([
      'FEDERATION_DEMO_DELIVERIES_PORT',
      'FEDERATION_DEMO_PHARMAONE_PORT',
      'FEDERATION_DEMO_ROUTER_PORT',
      'FEDERATION_DEMO_SANDBOX_PORT',
    ]);
    const config = loadConfig({ PHARMAONE_SANDBOX: 'true' });
    const taken = [config.port, config.pharmaone.mode === 'sandbox' ? config.pharmaone.sandboxPort : -1];
    expect(taken).toEqual([4000, 4010]);
    for (const [, port] of defaults) expect(taken).not.toContain(port);
  });
});

describe('package.json scripts', () => {
  // A script that is one node command runs it with `exec`: the shell is replaced, so a signal npm
  // forwards reaches node. The long-running ones (start, sandbox, federation:demo) are tested above.
  const single = Object.entries(packageScripts).filter(([, command]) => /^(exec )?node /.test(command) && !command.includes('&&'));

  it('include the long-running ones and every example', () => {
    expect(single.map(([name]) => name)).toEqual(
      expect.arrayContaining(['start', 'sandbox', 'federation:demo', 'example:client', 'example:live-feed', 'example:keyed-mutation']),
    );
  });

  it.each(single)('%s execs node', (_name, command) => {
    expect(command).toMatch(/^exec node /);
  });
});
