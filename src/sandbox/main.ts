// `npm run sandbox`: the PharmaOne sandbox alone.
//   SANDBOX_PORT                    default 4010 (0 = any free port)
//   SANDBOX_HOST                    default 127.0.0.1
//   SANDBOX_PUBLIC_URL              base URL clients use, if not the listening address (Docker)
//   SANDBOX_FAULTS                  JSON fault rules (a list, or one rule), see src/sandbox/faults.ts
//   SANDBOX_FAULT_SEED              seed of the fault draws, default 1
//   SANDBOX_LATENCY_MS / _JITTER_MS latency added to every call (a catch-all rule after SANDBOX_FAULTS)
//   SANDBOX_TOKEN_LIFETIME_SECONDS  default 3600
import { parseFaultRules, type FaultRule } from './faults.ts';
import { startSandbox } from './server.ts';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

function faultsFromEnv(): FaultRule[] {
  const raw = process.env.SANDBOX_FAULTS;
  const rules = raw ? parseFaultRules(JSON.parse(raw) as unknown) : [];
  const latencyMs = numberFromEnv('SANDBOX_LATENCY_MS', 0);
  const jitterMs = numberFromEnv('SANDBOX_JITTER_MS', 0);
  if (latencyMs > 0 || jitterMs > 0) rules.push({ latencyMs, jitterMs });
  return rules;
}

const sandbox = await startSandbox({
  port: numberFromEnv('SANDBOX_PORT', 4010),
  host: process.env.SANDBOX_HOST || '127.0.0.1',
  faults: faultsFromEnv(),
  faultSeed: numberFromEnv('SANDBOX_FAULT_SEED', 1),
  tokenLifetimeSeconds: numberFromEnv('SANDBOX_TOKEN_LIFETIME_SECONDS', 3600),
  ...(process.env.SANDBOX_PUBLIC_URL ? { publicUrl: process.env.SANDBOX_PUBLIC_URL } : {}),
});

const lines = [
  `PharmaOne sandbox listening on ${sandbox.url}`,
  `  PHARMAONE_BASE_URL=${sandbox.url}`,
  `  PHARMAONE_SHOP_URL_TEMPLATE=${sandbox.shopUrlTemplate}`,
  'Demo API keys (header "apikey"; orgs org1 with shop1 + shop2, org2 with shop3):',
  ...sandbox.apiKeys.map((key) => `  ${key.apiKey.padEnd(24)} ${key.description}`),
  `Try: curl -s -X POST ${sandbox.url}/api/v2/public/orgs/org1/auth/token -H 'apikey: sandbox-org1-key'`,
  `Control: ${sandbox.url}/_sandbox (calls, faults, reset, config, tokens/revoke)`,
];
console.log(lines.join('\n'));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  });
}
