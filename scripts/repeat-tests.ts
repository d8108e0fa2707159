// `npm run test:repeat -- [--runs N] [--busy K] [vitest file filters…]`: hunts nondeterministic
// tests. Runs the suite (or the named files) N times while K busy processes compete for the CPU,
// and prints each test that failed in any run with its failure count and first message. A test
// that fails here and passes on its own assumes timing somewhere: fix the cause (see docs/architecture.md's
// "Deterministic tests"), never re-run it to green.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, busy: { type: 'string', default: '2' } },
  allowPositionals: true,
});
const runs = Number(values.runs);
const busy = Number(values.busy);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(busy) || busy < 0) {
  console.error('usage: npm run test:repeat -- [--runs N ≥ 1] [--busy K ≥ 0] [vitest file filters…]');
  process.exit(2);
}

interface VitestJson {
  numTotalTests: number;
  testResults: Array<{
    name: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

// Busy processes: plain spin loops, ended when this script ends.
const spinners = Array.from({ length: busy }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopSpinners = () => {
  for (const spinner of spinners) spinner.kill('SIGKILL');
};
process.on('exit', stopSpinners);
// Stopped from outside: the spinners go too, not left running as orphans.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const out = mkdtempSync(join(tmpdir(), 'repeat-tests-'));
const failures = new Map<string, { count: number; first: string }>();
let failedRuns = 0;
let tests = 0;
try {
  for (let run = 1; run <= runs; run++) {
    const file = join(out, `run-${run}.json`);
    const result = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', `--outputFile=${file}`, ...positionals],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    let report: VitestJson;
    try {
      report = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
    } catch {
      console.log(`run ${run}: vitest exited ${result.status} without a report`);
      failedRuns++;
      continue;
    }
    tests += report.numTotalTests;
    let failed = 0;
    for (const testFile of report.testResults) {
      // A file that failed to load or in a hook has no failed assertion of its own.
      if (testFile.message && !testFile.assertionResults.some((test) => test.status === 'failed')) {
        note(`${testFile.name} (file)`, testFile.message);
        failed++;
      }
      for (const test of testFile.assertionResults) {
        if (test.status !== 'failed') continue;
        note(`${testFile.name} › ${test.fullName}`, test.failureMessages[0] ?? '');
        failed++;
      }
    }
    if (failed > 0 || result.status !== 0) failedRuns++;
    console.log(`run ${run}: ${report.numTotalTests} tests, ${failed} failed`);
  }
} finally {
  stopSpinners();
  rmSync(out, { recursive: true, force: true });
}

console.log(`\n${runs} runs with ${busy} busy processes beside them: ${failedRuns} runs failed, ${tests} tests run in all.`);
for (const [name, { count, first }] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`\n${count}× ${name}\n   ${first.split('\n').slice(0, 3).join('\n   ')}`);
}
process.exitCode = failedRuns > 0 ? 1 : 0;

function note(name: string, message: string): void {
  const seen = failures.get(name);
  if (seen) seen.count++;
  else failures.set(name, { count: 1, first: message });
}
