// `npm run sandbox`: the PharmaOne sandbox alone. Its settings (SANDBOX_PORT, SANDBOX_FAULTS, …) are
// read in ./options.ts and listed in docs/configuration.md.
import { ConfigError, parseEnv } from '../config/env.ts';
import { readSandboxOptions } from './options.ts';
import { startSandbox } from './server.ts';

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
