// Graceful shutdown of the real launcher: `node src/main.ts` as a child process against a sandbox
// with a slow route. SIGTERM with a slow request in flight: readiness flips to 503 at once, the
// listener closes (new connections refused), the request still completes with its data, exit 0.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { ORG1_KEY } from '../support/gateway.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SLOW_MS = 1_500;

let sandbox: Sandbox | undefined;
let child: ChildProcess | undefined;
// Kept-alive connections, as a load balancer holds them (the suite's default client closes each):
// what the drain does to them is part of what is tested.
let keptAlive = new Agent();
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox?.close();
  await keptAlive.close();
  keptAlive = new Agent();
});

/** `node src/main.ts` against `baseUrl`, or (undefined) with its embedded sandbox, as `npm start` runs it. */
async function startGatewayProcess(
  baseUrl: string | undefined,
): Promise<{ origin: string; exit: Promise<number | null>; output: () => string }> {
  // Production starts the embedded sandbox only when asked (issue 15: fail closed).
  const upstream = baseUrl ? { PHARMAONE_BASE_URL: baseUrl } : { SANDBOX_PORT: '0', PHARMAONE_SANDBOX: 'true' };
  const spawned = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    // As deployed (NODE_ENV=production): under vitest's NODE_ENV=test, Apollo installs no signal
    // handlers of its own, which once hid a race between them and ours.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      ...upstream,
      SHUTDOWN_DELAY_MS: '300',
      LOG_LEVEL: 'silent',
      GRAPHIQL_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = spawned;
  const { stdout, stderr } = spawned;
  if (!stdout || !stderr) throw new Error('the gateway process was spawned without stdout/stderr pipes');
  let output = '';
  stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => spawned.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/gateway on (http:\/\/\S+)\/graphql/);
      if (match?.[1]) resolve(match[1]);
    });
    void exit.then((code) => reject(new Error(`gateway exited with ${code} before it was ready:\n${output}`)));
  });
  return { origin: url, exit, output: () => output };
}

async function gql(origin: string, query: string) {
  const res = await request(`${origin}/graphql`, {
    dispatcher: keptAlive,
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: ORG1_KEY },
    body: JSON.stringify({ query }),
  });
  return {
    status: res.statusCode,
    connection: res.headers.connection,
    body: (await res.body.json()) as GraphqlResponse<{ org: { orders: { nodes: unknown[] } } }>['body'],
  };
}

function isRefused(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ECONNREFUSED';
}

async function readyzStatus(origin: string): Promise<number> {
  return (await readyz(origin)).status;
}

async function readyz(origin: string): Promise<{ status: number; connection: string | string[] | undefined }> {
  const res = await request(`${origin}/readyz`, { dispatcher: keptAlive });
  await res.body.dump();
  return { status: res.statusCode, connection: res.headers.connection };
}

describe('SIGTERM', () => {
  it('flips readiness first, refuses new connections, finishes the request in flight, and exits 0', async () => {
    sandbox = await startSandbox({ port: 0 });
    const gateway = await startGatewayProcess(sandbox.url);
    await gql(gateway.origin, '{ org(id: "org1") { id } }');
    expect(await readyz(gateway.origin)).toEqual({ status: 200, connection: 'keep-alive' });
    sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders', latencyMs: SLOW_MS }]);

    let slowDone = false;
    const slow = gql(gateway.origin, '{ org(id: "org1") { orders(first: 2) { nodes { id } } } }').finally(() => (slowDone = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    must(child, 'the gateway process').kill('SIGTERM');

    let readiness = { status: 200, connection: undefined as string | string[] | undefined };
    for (let tries = 0; tries < 100 && readiness.status === 200; tries++) readiness = await readyz(gateway.origin);
    expect(readiness.status).toBe(503);
    // A request that arrives while draining is answered on a connection that then closes.
    expect(readiness.connection).toBe('close');
    expect(slowDone).toBe(false);

    // After SHUTDOWN_DELAY_MS the listener is closed. A connection opened in that very instant may
    // be reset instead of refused (the kernel accepted it, then it closed with the listener): no
    // request is served on it either, and every connection after it is refused.
    const failures: unknown[] = [];
    for (let tries = 0; tries < 50 && !failures.some(isRefused); tries++) {
      await readyzStatus(gateway.origin).then(
        () => new Promise((resolve) => setTimeout(resolve, 50)),
        (error: unknown) => failures.push(error),
      );
    }
    expect(failures.at(-1)).toMatchObject({ code: 'ECONNREFUSED' });
    for (const failure of failures) expect(['ECONNRESET', 'ECONNREFUSED']).toContain((failure as { code?: string }).code);
    expect(slowDone).toBe(false);

    const res = await slow;
    expect(res.status).toBe(200);
    // So is the request that was in flight when draining began: its connection is not kept.
    expect(res.connection).toBe('close');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.org.orders.nodes).toHaveLength(2);
    expect(await gateway.exit).toBe(0);
    expect(gateway.output()).toContain('SIGTERM: draining');
  });

  it('exits 0 when idle, with its embedded sandbox (no PHARMAONE_BASE_URL), as npm start runs it', async () => {
    const gateway = await startGatewayProcess(undefined);

    must(child, 'the gateway process').kill('SIGTERM');

    expect(await gateway.exit).toBe(0);
    expect(gateway.output()).toContain('drained; exiting');
  });
});
