// A stalled log collector (nobody reads the gateway's stdout) neither stalls the gateway nor grows
// its memory: lines wait up to a bound, those beyond it are dropped and counted, and once stdout
// takes lines again the count is logged. Every line that reaches stdout is whole and in order.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_WAITING_BYTES } from '../../src/logging/stdout-lines.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Far more than stdout's buffers and the waiting bound hold: ~300 bytes each. */
const LINES = 5_000;

// Logs LINES operation lines, one turn at a time, while the parent reads nothing; reports how much
// waited at most and how many were dropped; then, told to, logs one more line and exits.
const script = `
import { createLogger, droppedLogLines, waitingLogBytes } from './src/logging/logger.ts';
const logger = createLogger();
let turnsWhileLogging = 0;
let mostWaiting = 0;
const ticker = setInterval(() => { turnsWhileLogging += 1; }, 1);
for (let i = 0; i < ${LINES}; i++) {
  logger.info({ requestId: 'req-' + i, padding: 'x'.repeat(200) }, 'graphql operation');
  mostWaiting = Math.max(mostWaiting, waitingLogBytes());
  if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 0));
}
clearInterval(ticker);
process.send({ logged: ${LINES}, dropped: droppedLogLines(), turnsWhileLogging, mostWaiting });
process.once('message', async () => {
  // Stdout is read again: the next turn writes what waited and reports the drops.
  await new Promise((resolve) => setTimeout(resolve, 50));
  logger.info({ requestId: 'after' }, 'after the stall');
  process.disconnect();
});
`;

interface Report {
  logged: number;
  dropped: number;
  turnsWhileLogging: number;
  /** The most bytes that waited in the process for stdout at any time. */
  mostWaiting: number;
}

function start(): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
}

describe('logging while nobody reads stdout', () => {
  it('drops and counts what does not fit, keeps the rest whole and in order, and reports the drops', async () => {
    const child = start();
    const stdout = child.stdout as NonNullable<ChildProcess['stdout']>;
    // Not one byte is read until the child has logged everything.
    stdout.pause();
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const report = await new Promise<Report>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Report));
      child.once('exit', (code) => reject(new Error(`child exited (${code}) before reporting: ${stderr}`)));
    });
    // It finished logging although nothing was read, and its event loop kept turning meanwhile.
    expect(report.logged).toBe(LINES);
    expect(report.turnsWhileLogging).toBeGreaterThan(0);
    // What waited for stdout stayed within the bound, and was filled (the bound is what held).
    expect(report.mostWaiting).toBeLessThanOrEqual(MAX_WAITING_BYTES);
    expect(report.mostWaiting).toBeGreaterThan(MAX_WAITING_BYTES - 1_024);
    // Far more was logged than stdout's buffers and the bound hold: most lines were dropped, and counted.
    expect(report.dropped).toBeGreaterThan(LINES / 2);

    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    stdout.resume();
    child.send('read again');
    expect(await closed).toBe(0);

    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const operations = lines.filter((line) => line.msg === 'graphql operation');
    // Every line is either on stdout or counted as dropped.
    expect(operations.length + report.dropped).toBe(LINES);
    // Kept lines are the first ones, whole and in order (later ones were the ones dropped).
    expect(operations.map((line) => line.requestId)).toEqual(Array.from({ length: operations.length }, (_, i) => `req-${i}`));
    const droppedLine = lines.find((line) => line.msg === 'log lines dropped while stdout was blocked');
    expect(droppedLine).toMatchObject({ level: 40, droppedLines: report.dropped });
    expect(lines.at(-1)).toMatchObject({ requestId: 'after', msg: 'after the stall' });
  });
});

// Logs lines after its reader has gone: stdout refuses every write (EPIPE).
const gone = `
import { createLogger, droppedLogLines } from './src/logging/logger.ts';
const logger = createLogger();
process.once('message', async () => {
  for (let i = 0; i < 100; i++) {
    logger.info({ requestId: 'req-' + i }, 'graphql operation');
    await new Promise((resolve) => setImmediate(resolve));
  }
  process.send({ dropped: droppedLogLines() }, () => process.disconnect());
});
process.send('ready');
`;

describe('logging after the reader of stdout has gone', () => {
  it('counts the lines as dropped and goes on', async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', gone], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    // The reading end closes: every write the child makes from now on fails with EPIPE.
    child.stdout?.destroy();
    child.send('log');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(messages.at(-1)).toEqual({ dropped: 100 });
  });
});
