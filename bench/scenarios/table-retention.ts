// Scenario "table-retention": why nothing long-lived on the request path holds a request
// (docs/performance.md). A child process passes 400,000 request-sized object graphs through a
// long-lived Set, Map, WeakSet or WeakMap (or only counts them), at most 17 at a time, under
// `--trace-gc-nvp`; the scenario reports what V8's young-generation collections promoted and
// how long they paused, as medians over the scavenges of the run's last two thirds.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { percentile, round } from '../lib/stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MODES = ['count', 'weak-set', 'weak-map', 'set', 'map'];

export async function runTableRetention() {
  const results = [];
  for (const mode of MODES) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--trace-gc-nvp', 'bench/lib/table-retention-child.ts', mode], {
      cwd: root,
      maxBuffer: 64 * 2 ** 20,
    });
    const scavenges = stdout
      .split('\n')
      .filter((line) => line.includes(' gc=s '))
      .map((line) => Object.fromEntries(line.split(' ').flatMap((pair) => (pair.includes('=') ? [pair.split('=', 2)] : []))));
    const steady = scavenges.slice(Math.floor(scavenges.length / 3));
    const median = (field: string) =>
      percentile(
        steady.map((fields) => Number(fields[field] ?? Number.NaN)),
        50,
      );
    results.push({
      table: mode,
      scavenges: scavenges.length,
      promotedKiBPerScavenge: round(median('promoted') / 1024),
      pauseMs: median('pause'),
      backgroundMs: median('background.scavenge.parallel'),
    });
  }
  return { passes: 400_000, inFlight: 17, results };
}
