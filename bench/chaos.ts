// `npm run chaos`: the chaos run (bench/lib/chaos.ts) against the sandbox and the gateway as their
// own processes, with the gateway's default resilience settings. CHAOS_DURATION_MS (default 60 s)
// and CHAOS_CLIENTS (default 16) size it. Prints the figures; exits 1 if a promise is broken.
import os from 'node:os';
import { chaosViolations, runChaos } from './lib/chaos.ts';
import { startGatewayProcess, startSandboxProcess } from './lib/processes.ts';

const durationMs = Number(process.env.CHAOS_DURATION_MS ?? 60_000);
const clients = Number(process.env.CHAOS_CLIENTS ?? 16);

const sandbox = await startSandboxProcess();
// The response cache would answer repeated reads without PharmaOne; the run is about PharmaOne failing.
const gateway = await startGatewayProcess(sandbox.url, { RESPONSE_CACHE_MB: '0', LOG_LEVEL: 'warn', GRAPHIQL_ENABLED: 'false' });
let violations: string[] = [];
try {
  console.log(
    JSON.stringify({
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      at: new Date().toISOString(),
      durationMs,
      clients,
    }),
  );
  const report = await runChaos({
    gatewayUrl: gateway.url,
    sandboxUrl: sandbox.url,
    durationMs,
    clients,
    writeShare: 0.2,
    // The gateway's defaults (README: UPSTREAM_RETRY_BUDGET_*).
    retryBudget: { ratio: 0.2, minRetriesPerWindow: 10, windowMs: 10_000 },
  });
  console.log(JSON.stringify(report, null, 2));
  violations = chaosViolations(report);
  console.log(violations.length === 0 ? 'chaos: all promises kept' : `chaos: FAILED\n  ${violations.join('\n  ')}`);
} finally {
  await gateway.stop();
  await sandbox.stop();
}
process.exit(violations.length === 0 ? 0 : 1);
