// `npm run sandbox`: the PharmaOne sandbox alone.
//   SANDBOX_PORT                    default 4010 (0 = any free port)
//   SANDBOX_HOST                    default 127.0.0.1
//   SANDBOX_PUBLIC_URL              base URL clients use, if not the listening address (Docker)
//   SANDBOX_FAULTS                  JSON fault rules (a list, or one rule), see src/sandbox/fault-rules.ts
//   SANDBOX_FAULT_SEED              seed of the fault draws, default 1
//   SANDBOX_LATENCY_MS / _JITTER_MS latency added to every call (a catch-all rule after SANDBOX_FAULTS)
//   SANDBOX_TOKEN_LIFETIME_SECONDS  default 3600
import { ConfigError, parseEnv } from '../config/env.ts';
import type { EnvReader } from '../config/env.ts';
import { parseFaultRules, type FaultRule } from './fault-rules.ts';
import { startSandbox } from './server.ts';

// The gateway's environment parser: the same spelling of numbers and durations, every problem at once.
function readSandboxOptions(read: EnvReader) {
  const rules = read.attempt(() => {
    const raw = read.text('SANDBOX_FAULTS');
    return raw ? parseFaultRules(JSON.parse(raw) as unknown) : [];
  }, [] as FaultRule[]);
  const latencyMs = read.durationMs('SANDBOX_LATENCY_MS', { fallback: 0, min: 0, max: 600_000 });
  const jitterMs = read.durationMs('SANDBOX_JITTER_MS', { fallback: 0, min: 0, max: 600_000 });
  if (latencyMs > 0 || jitterMs > 0) rules.push({ latencyMs, jitterMs });
  const publicUrl = read.url('SANDBOX_PUBLIC_URL');
  return {
    port: read.int('SANDBOX_PORT', { fallback: 4010, min: 0, max: 65_535 }),
    host: read.text('SANDBOX_HOST') ?? '127.0.0.1',
    faults: rules,
    faultSeed: read.int('SANDBOX_FAULT_SEED', { fallback: 1, min: 0, max: 2 ** 32 - 1 }),
    tokenLifetimeSeconds: read.durationMs('SANDBOX_TOKEN_LIFETIME_SECONDS', { fallback: 3600, min: 1, max: 30 * 86_400 }) / 1000,
    ...(publicUrl ? { publicUrl } : {}),
  };
}

let options: ReturnType<typeof readSandboxOptions>;
try {
  options = parseEnv(process.env, readSandboxOptions);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`The sandbox refuses to start. ${error.message}`);
  process.exit(78);
}
const sandbox = await startSandbox(options);

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
