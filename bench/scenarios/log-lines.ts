// Scenario "log-lines": CPU per operation log line, every thread counted, when a process logs N
// lines per turn of the event loop into a pipe that its reader drains: the gateway's stdout writer
// (src/logging/stdout-lines.ts: one write per turn from the main thread) against pino's default
// destination (sonic-boom, a write per turn on libuv's thread pool). Alternating, BENCH_ROUNDS
// processes of each per count (issue 25).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile, round } from '../lib/stats.ts';

const CHILD = fileURLToPath(new URL('../lib/log-lines-child.ts', import.meta.url));
const DESTINATIONS = ['gateway', 'pino-default'] as const;

function logInChild(destination: string, perTurn: number, lines: number): Promise<number> {
  const child = spawn(process.execPath, [CHILD, destination, String(perTurn), String(lines)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let report = '';
  child.stdout.resume();
  child.stderr.on('data', (chunk: Buffer) => (report += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`log-lines child exited ${code}: ${report}`));
      else resolve((JSON.parse(report) as { cpuUsPerLine: number }).cpuUsPerLine);
    }),
  );
}

export async function runLogLines(options: { perTurn: number[]; lines: number; rounds: number }) {
  const results = [];
  for (const perTurn of options.perTurn) {
    const byRound: Record<string, number[]> = { gateway: [], 'pino-default': [] };
    for (let r = 0; r < options.rounds; r++) {
      for (const destination of DESTINATIONS) byRound[destination]?.push(await logInChild(destination, perTurn, options.lines));
    }
    const median = (values: number[] = []) => round(percentile(values, 50), 2);
    results.push({
      perTurn,
      gatewayUsPerLine: median(byRound.gateway),
      pinoDefaultUsPerLine: median(byRound['pino-default']),
      byRound,
    });
  }
  return results;
}
