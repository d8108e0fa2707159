// `npm start`: the gateway on PORT. Without PHARMAONE_BASE_URL it first starts the embedded
// sandbox (the only place gateway code reaches into src/sandbox) so a newcomer gets data at once.
import { loadConfig } from './config.ts';
import { startGateway } from './gateway.ts';
import type { GatewayUpstream } from './gateway.ts';

const config = loadConfig();
const closers: Array<() => Promise<void>> = [];

// Installed before anything starts, so a signal during start-up also shuts down cleanly.
// Graceful shutdown: readiness turns 503 at once, the listener closes after SHUTDOWN_DELAY_MS,
// requests in flight get up to SHUTDOWN_GRACE_MS to finish, then the process exits 0.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining (readiness 503; requests in flight get up to ${config.operations.shutdownGraceMs} ms)`);
    void (async () => {
      try {
        for (const close of closers) await close();
      } catch (error) {
        console.error('shutdown failed', (error as Error | null)?.name);
        process.exit(1);
      }
      console.log('drained; exiting');
      process.exit(0);
    })();
  });
}

let upstream: GatewayUpstream;

if (config.pharmaoneBaseUrl) {
  // No guessed default: a wrong shop host would send real orders to the wrong environment.
  upstream = { baseUrl: config.pharmaoneBaseUrl, shopUrlTemplate: config.shopUrlTemplate };
} else {
  const { startSandbox } = await import('./sandbox/server.ts');
  const sandbox = await startSandbox({ port: Number(process.env.SANDBOX_PORT ?? 4010) });
  closers.push(() => sandbox.close());
  upstream = { baseUrl: sandbox.url, shopUrlTemplate: sandbox.shopUrlTemplate };
  console.log(`PharmaOne sandbox on ${sandbox.url} (PHARMAONE_BASE_URL is unset)`);
  console.log('Demo integration keys (send one as the "apikey" header):');
  for (const key of sandbox.apiKeys) console.log(`  ${key.apiKey.padEnd(24)} ${key.description}`);
}

const gateway = await startGateway(config, upstream);
closers.unshift(() => gateway.close());
console.log(`pharmaone-graph gateway on ${gateway.url}`);
if (!config.pharmaoneBaseUrl) {
  console.log(
    `Try: curl -s ${gateway.url} -H 'content-type: application/json' -H 'apikey: sandbox-org1-key' ` +
      `-d '{"query":"{ org(id: \\"org1\\") { shops { id name } } }"}'`,
  );
}
