// Log lines are written asynchronously in batches (src/logging/logger.ts). What that must never
// cost: a line of a request answered before SIGTERM, or logged before a crash; and memory, when
// stdout is slower than the lines (bounded in bytes, the rest dropped and counted exactly).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ORG1_KEY } from '../support/gateway.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const LOGGER_URL = new URL('../../src/logging/logger.ts', import.meta.url).href;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function spawnNode(
  args: string[],
  env: Record<string, string>,
): ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  if (!child.stdout || !child.stderr) throw new Error('spawned without pipes');
  return child as ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a real gateway process under SIGTERM', () => {
  it.each([{ LOG_SYNC: 'false' }, { LOG_SYNC: 'true' }])(
    'writes the line of every request it answered before it exits ($LOG_SYNC)',
    async (env) => {
      const child = spawnNode(['src/main.ts'], {
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        SANDBOX_PORT: '0',
        PHARMAONE_SANDBOX: 'true',
        SHUTDOWN_DELAY_MS: '0',
        LOG_LEVEL: 'info',
        GRAPHIQL_ENABLED: 'false',
        ...env,
      });
      const stdout = collect(child.stdout);
      const stderr = collect(child.stderr);
      const exited = once(child, 'exit');
      const origin = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = stdout().match(/gateway on (http:\/\/\S+)\/graphql/);
          if (match?.[1]) resolve(match[1]);
        });
        void exited.then(() => reject(new Error(`gateway exited before it was ready:\n${stdout()}${stderr()}`)));
      });

      const sent = Array.from({ length: 60 }, (_, i) => `flush-${String(i).padStart(3, '0')}`);
      for (let i = 0; i < sent.length; i += 20) {
        await Promise.all(
          sent.slice(i, i + 20).map(async (id) => {
            const res = await request(`${origin}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', apikey: ORG1_KEY, 'x-request-id': id },
              body: JSON.stringify({ query: '{ org(id: "org1") { shops { id } } }' }),
            });
            expect(res.statusCode).toBe(200);
            await res.body.dump();
          }),
        );
      }
      // Nothing was dropped: stdout kept up, and the count is exported.
      const metrics = await request(`${origin}/metrics`);
      expect(await metrics.body.text()).toMatch(/^pharmaone_log_lines_dropped_total 0$/m);
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);

      const text = stdout();
      const logged = jsonLines(text).filter((line) => line.msg === 'graphql operation');
      expect(logged.map((line) => line.requestId).sort()).toEqual([...sent].sort());
      // Flushed by the drain itself, before its last words (not only by the exit hook after them).
      const lastLine = Math.max(...sent.map((id) => text.indexOf(`"requestId":"${id}"`)));
      expect(text.indexOf('drained; exiting')).toBeGreaterThan(lastLine);
    },
  );
});

describe('the asynchronous log destination', () => {
  it('loses no line a process logged before it crashed (uncaught exception)', async () => {
    const child = spawnNode(
      [
        '--input-type=module',
        '-e',
        `const { createLogger } = await import(${JSON.stringify(LOGGER_URL)});
         const logger = createLogger();
         for (let i = 0; i < 500; i++) logger.info({ n: i }, 'line');
         setImmediate(() => { throw new Error('boom'); });`,
      ],
      {},
    );
    const stdout = collect(child.stdout);
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(jsonLines(stdout()).map((line) => line.n)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('writes the line of a quiet process without waiting for more lines or an exit (the periodic flush)', async () => {
    const child = spawnNode(
      [
        '--input-type=module',
        '-e',
        `const { createLogger } = await import(${JSON.stringify(LOGGER_URL)});
         createLogger().info({ quiet: true }, 'one line');
         setInterval(() => {}, 60_000);`,
      ],
      {},
    );
    const stdout = collect(child.stdout);
    // One short line is far below the batch size: only the timer can write it while the process lives on.
    await new Promise<void>((resolve) => child.stdout.on('data', () => stdout().includes('\n') && resolve()));
    expect(child.exitCode).toBe(null);
    expect(jsonLines(stdout())).toMatchObject([{ quiet: true, msg: 'one line' }]);
  });

  it('holds at most its byte bound while stdout is stuck, and drops (and counts) exactly the lines it did not keep', async () => {
    // The parent reads nothing until the child has logged everything: the pipe (64 KiB) fills and
    // the rest waits in the destination's buffer, bounded at 256 KiB; ~3 MiB of lines are logged.
    const child = spawnNode(
      [
        '--input-type=module',
        '-e',
        `const { createLogger, stdoutDestination, droppedLogLines, flushLogs } = await import(${JSON.stringify(LOGGER_URL)});
         const destination = stdoutDestination({ maxBytes: 256 * 1024 });
         const logger = createLogger({ destination });
         const total = 20_000;
         let most = 0;
         for (let i = 0; i < total; i++) {
           logger.info({ n: i, pad: 'x'.repeat(100) }, 'line');
           most = Math.max(most, destination._len);
         }
         process.stderr.write(JSON.stringify({ total, dropped: droppedLogLines(), most }) + '\\n');
         await flushLogs(logger, 60_000);`,
      ],
      {},
    );
    child.stdout.pause();
    const stats = await new Promise<{ total: number; dropped: number; most: number }>((resolve) => {
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(JSON.parse(text.split('\n')[0] ?? '') as { total: number; dropped: number; most: number });
      });
    });
    expect(stats.most).toBeLessThanOrEqual(256 * 1024);
    expect(stats.dropped).toBeGreaterThan(0);
    const stdout = collect(child.stdout);
    child.stdout.resume();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const written = jsonLines(stdout());
    expect(written.length).toBe(stats.total - stats.dropped);
    // What was kept is whole lines, in order.
    const numbers = written.map((line) => line.n as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });
});
