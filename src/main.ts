// `npm start` and the container's command: the gateway on PORT. In sandbox mode (see
// PharmaOneTarget in config.ts) it first starts the embedded sandbox (the only place gateway code
// reaches into src/sandbox) so a newcomer gets data at once; production never does that by itself.
// A configuration with problems exits 78 (EX_CONFIG) after printing all of them; a variable set
// under the gateway's prefixes that it does not read is a warning (a refusal in production with
// CONFIG_STRICT=true).
import { ConfigError, loadCheckedConfig } from './config.ts';
import type { GatewayConfig } from './config.ts';
import { startGateway } from './gateway.ts';
import type { GatewayUpstream } from './gateway.ts';
import { createLogger } from './logging/logger.ts';

/** sysexits(3) EX_CONFIG: the process manager (and a human) can tell "misconfigured" from "crashed". */
const EXIT_CONFIG = 78;

let config: GatewayConfig;
let unread: ReturnType<typeof loadCheckedConfig>['unread'];
try {
  ({ config, unread } = loadCheckedConfig());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`pharmaone-graph refuses to start. ${error.message}`);
  process.exit(EXIT_CONFIG);
}
const logger = createLogger({ level: config.logLevel });
// The name and the suggestion only: a value may be a credential.
for (const setting of unread) logger.warn({ variable: setting.name, suggestion: setting.suggestion }, setting.message);
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
const target = config.pharmaone;
if (target.mode === 'pharmaone') {
  upstream = { baseUrl: target.baseUrl, shopUrlTemplate: target.shopUrlTemplate };
} else {
  const { startSandbox } = await import('./sandbox/server.ts');
  const sandbox = await startSandbox({ port: target.sandboxPort });
  closers.push(() => sandbox.close());
  upstream = { baseUrl: sandbox.url, shopUrlTemplate: sandbox.shopUrlTemplate };
  console.log(`PharmaOne sandbox on ${sandbox.url} (sandbox mode: demo data, not PharmaOne; PHARMAONE_BASE_URL is unset)`);
  console.log('Demo integration keys (send one as the "apikey" header):');
  for (const key of sandbox.apiKeys) console.log(`  ${key.apiKey.padEnd(24)} ${key.description}`);
}

let gateway: Awaited<ReturnType<typeof startGateway>>;
try {
  gateway = await startGateway(config, upstream, { logger });
} catch (error) {
  // A port in use, an unreadable safelist: one clear line, not an unhandled rejection's trace.
  console.error(`pharmaone-graph failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
closers.unshift(() => gateway.close());
const reachable = gateway.url.startsWith(gateway.listenUrl) ? '' : ` (from this host: ${gateway.url})`;
console.log(`pharmaone-graph gateway on ${gateway.listenUrl}/graphql${reachable}`);
if (gateway.metricsUrl) console.log(`metrics and probes on ${gateway.metricsUrl}/metrics (not on the public port)`);
if (target.mode === 'sandbox') {
  console.log(
    `Try: curl -s ${gateway.url} -H 'content-type: application/json' -H 'apikey: sandbox-org1-key' ` +
      `-d '{"query":"{ org(id: \\"org1\\") { shops { id name } } }"}'`,
  );
}
