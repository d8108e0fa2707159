// Scenario "field-guard": what the field guard (src/graphql/field-guard.ts) costs graphql-jit per
// execution of orders(first: 10), in process and without the network, so that a change of a
// microsecond shows (issue 25). The first round of each is the optimizing compiler's: the median
// of the rounds is reported.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { percentile, round } from '../lib/stats.ts';

const RUNS = fileURLToPath(new URL('../lib/field-guard-runs.ts', import.meta.url));

export async function runFieldGuard(options: { executions: number; rounds: number }) {
  const { stdout } = await promisify(execFile)(process.execPath, [RUNS, String(options.executions), String(options.rounds)], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const byRound = JSON.parse(stdout) as { guarded: number[]; unguarded: number[] };
  const median = (values: number[]) => round(percentile(values, 50), 2);
  const shares = byRound.guarded.map((guarded, i) => guarded - (byRound.unguarded[i] ?? guarded));
  return {
    executions: options.executions,
    rounds: options.rounds,
    guardedUs: median(byRound.guarded),
    unguardedUs: median(byRound.unguarded),
    guardShareUs: median(shares),
    byRound,
  };
}
