// Public API of the sandbox: startSandbox() and the handle it returns. The gateway imports only
// startSandbox (from its launcher, src/main.ts); tests use the handle to read the call log,
// inject faults and reset state.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEMO_API_KEYS, type DemoApiKey } from './api-keys.ts';

export { DEMO_API_KEYS, type DemoApiKey };
export type { CallFilter, CallLog, CallLogEntry } from './call-log.ts';
export type { FaultRule } from './fault-rules.ts';
export type { FaultController } from './faults.ts';
import { createCallLog, type CallLog } from './call-log.ts';
import type { FaultRule } from './fault-rules.ts';
import { createFaultInjector, type FaultController } from './faults.ts';
import { createForwarder } from './forwarder.ts';
import { createIdempotencyStore } from './idempotency.ts';
import { createRequestListener } from './pipeline.ts';
import { createRouter } from './router.ts';
import { createAdminHandler } from './routes/admin.ts';
import { allRoutes } from './routes/index.ts';
import type { SandboxServices } from './route-types.ts';
import { createStore } from './store.ts';
import { createTokenAuthority } from './token-authority.ts';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Fault rules active from the start (default none). */
  faults?: FaultRule[];
  /** Seed of the fault draws (default 1): the same seed and calls fail the same calls. */
  faultSeed?: number;
  /** Lifetime of issued tokens (default 3600, as on PharmaOne dev). */
  tokenLifetimeSeconds?: number;
  /** Clock in epoch milliseconds (default Date.now): token iat/exp and new records' timestamps. */
  now?: () => number;
  /** Base URL clients reach the sandbox at, if not the listening address (e.g. behind Docker); used in shop URLs. */
  publicUrl?: string;
}

export interface SandboxHandle {
  /** Base URL, e.g. "http://127.0.0.1:4010": Manager paths go under it, shops under `${url}/shops/{shopId}`. */
  url: string;
  port: number;
  /** Shop proxy URL template, `{shopId}` to be substituted (PHARMAONE_SHOP_URL_TEMPLATE). */
  shopUrlTemplate: string;
  apiKeys: readonly DemoApiKey[];
  calls: CallLog;
  faults: FaultController;
  /** Seeded data back, call log cleared, faults off, idempotency keys forgotten, token lifetime as started. Tokens stay valid. */
  reset(): void;
  /** Lifetime of tokens issued from now on (0 = expired on arrival). */
  setTokenLifetime(seconds: number): void;
  /** Every token issued so far stops working (401 invalid_token). */
  revokeTokens(): void;
  /**
   * Makes an order's list and detail answers carry these raw wire values (e.g. `{ created_at: "Jane Doe" }`,
   * `{ total_amount: "abc" }`) until reset(); false when there is no such order.
   */
  patchOrderWire(orgId: string, orderId: string, fields: Record<string, unknown>): boolean;
  /** Stops listening and drops every connection, including hanging ones. */
  close(): Promise<void>;
}

const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

function assertLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`token lifetime must be an integer ≥ 0, got ${seconds}`);
}

function urlFor(host: string, port: number): string {
  // A wildcard listen address is not a place to send requests to.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const now = options.now ?? Date.now;
  const initialLifetime = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  assertLifetime(initialLifetime);
  const host = options.host ?? '127.0.0.1';

  const store = createStore(now);
  const tokens = createTokenAuthority({ lifetimeSeconds: initialLifetime, now });
  const calls = createCallLog();
  const faults = createFaultInjector({ seed: options.faultSeed ?? 1, rules: options.faults ?? [] });
  const idempotency = createIdempotencyStore();
  const forwarder = createForwarder();
  let baseUrl = '';

  const services: SandboxServices = {
    store,
    tokens,
    publicUrl: () => options.publicUrl?.replace(/\/+$/, '') ?? baseUrl,
    forward: (request) => forwarder.forward(baseUrl, request),
  };
  const { list, clear } = calls;
  const controls = {
    calls: { list, clear },
    faults: { list: faults.list, set: faults.set, add: faults.add, clear: faults.clear },
    reset() {
      store.reset();
      calls.clear();
      faults.reset();
      idempotency.clear();
      tokens.lifetimeSeconds = initialLifetime;
    },
    tokenLifetimeSeconds: () => tokens.lifetimeSeconds,
    setTokenLifetime(seconds: number) {
      assertLifetime(seconds);
      tokens.lifetimeSeconds = seconds;
    },
    revokeTokens: () => tokens.revokeAll(),
    patchOrderWire(orgId: string, orderId: string, fields: Record<string, unknown>) {
      const org = store.org(orgId);
      const order = org && store.order(org, orderId);
      if (!order) return false;
      order.wireOverrides = { ...order.wireOverrides, ...fields };
      return true;
    },
    shopUrlTemplate: () => `${services.publicUrl()}/shops/{shopId}`,
  };

  const server: Server = createServer(
    { keepAliveTimeout: 5_000 },
    createRequestListener({
      services,
      calls,
      faults,
      idempotency,
      route: createRouter(allRoutes),
      admin: createAdminHandler(controls),
      now,
    }),
  );
  // A client that vanishes mid-request must not surface as an unhandled socket error.
  server.on('clientError', (_error, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = urlFor(host, port);

  return {
    url: baseUrl,
    port,
    shopUrlTemplate: controls.shopUrlTemplate(),
    apiKeys: DEMO_API_KEYS,
    calls: controls.calls,
    faults: controls.faults,
    reset: controls.reset,
    setTokenLifetime: controls.setTokenLifetime,
    revokeTokens: controls.revokeTokens,
    patchOrderWire: controls.patchOrderWire,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await forwarder.close();
      await closed;
    },
  };
}
