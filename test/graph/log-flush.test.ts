// A process that logs and then crashes loses no line: every logger writes through stdout's one
// writer (src/logging/stdout-lines.ts), which writes whatever still waits on exit, so an uncaught
// throw right after a burst of lines still leaves every one on stdout, in order.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const LINES = 2000;

const script = `
import { createLogger } from './src/logging/logger.ts';
import { runInRequestScope } from './src/logging/request-scope.ts';
import { createOperationReporter } from './src/observability/operation-report.ts';
const logger = createLogger();
const report = createOperationReporter({ logger, metrics: { operation() {}, operationErrors() {} } });
for (let i = 0; i < ${LINES}; i++) {
  runInRequestScope('req-' + i, () =>
    report({ method: 'POST', status: 200, body: '{"data":{}}', durationMs: i, callerMode: 'integration', upstreamTrace: [{ route: 'GET /orders', status: 200 }] }),
  );
}
logger.info('last line before the crash');
throw new Error('crash after logging');
`;

function run() {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close': the process has exited and both pipes are drained.
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('logging, then crashing', () => {
  it('leaves every line on stdout, whole and in order', async () => {
    const { code, stdout, stderr } = await run();
    expect(code).toBe(1);
    expect(stderr).toContain('crash after logging');
    expect(stdout.endsWith('\n')).toBe(true);
    const lines = stdout
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(LINES + 1);
    expect(lines.slice(0, LINES).map((line) => [line.msg, line.requestId, line.durationMs])).toEqual(
      Array.from({ length: LINES }, (_, i) => ['graphql operation', `req-${i}`, i]),
    );
    expect(lines[LINES]).toMatchObject({ level: 30, msg: 'last line before the crash' });
  });
});
