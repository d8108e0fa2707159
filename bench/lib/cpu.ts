// CPU time of another process (user + system), read from /proc/<pid>/stat. The gateway and its
// peers each run in their own process, so sampling around a load run gives CPU ms per request of
// the server alone — steadier than rps on a shared machine.
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const TICK_MS = 10;

export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Field 2 (comm) may hold spaces: count from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state field (3).
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}
