// `npm run chaos -- --rolling`: the rolling update under load (bench/lib/rolling.ts) with the
// sandbox as its own process, three replicas on one redis-server behind haproxy, each replaced
// once. ROLLING_CLIENTS (default 16), ROLLING_SUBSCRIBERS (default 200, half graphql-ws, half
// graphql-sse) and ROLLING_ROUNDS (default 2: the fleet is replaced this many times) size it.
// Prints the figures; exits 1 if a promise is broken.
import os from 'node:os';
import { startFleet } from './lib/fleet.ts';
import type { Fleet } from './lib/fleet.ts';
import { startSandboxProcess } from './lib/processes.ts';
import { rollingViolations, runRollingUpdate } from './lib/rolling.ts';

const REPLICAS = 3;

export async function rollingMain(): Promise<number> {
  const clients = Number(process.env.ROLLING_CLIENTS ?? 16);
  const subscribers = Number(process.env.ROLLING_SUBSCRIBERS ?? 200);
  const rounds = Number(process.env.ROLLING_ROUNDS ?? 2);
  const sandbox = await startSandboxProcess();
  let fleet: Fleet | undefined;
  let failed = false;
  try {
    fleet = await startFleet({ sandboxUrl: sandbox.url, replicas: REPLICAS });
    console.log(
      JSON.stringify({
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
        at: new Date().toISOString(),
        mode: `rolling update: ${REPLICAS} replicas behind haproxy, one Redis, ${rounds} rounds`,
        clients,
        subscribers,
      }),
    );
    const report = await runRollingUpdate({ ...fleet, clients, writeShare: 0.2, subscribers, rounds });
    console.log(JSON.stringify(report, null, 2));
    const violations = rollingViolations(report);
    failed = violations.length > 0;
    console.log(failed ? `rolling: FAILED\n  ${violations.join('\n  ')}` : 'rolling: all promises kept');
  } finally {
    await fleet?.stop();
    await sandbox.stop();
  }
  return failed ? 1 : 0;
}
