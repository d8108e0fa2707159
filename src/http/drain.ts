// Graceful shutdown of the HTTP server: readiness turns 503 at once; after `delayMs` (time for a
// load balancer to notice) the listener closes, so new connections are refused; requests in
// flight finish, for up to `graceMs`, on connections that close after their response; then any
// connection left is cut.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DrainControl {
  /** Counts requests in flight; while draining, answers carry `Connection: close`. */
  track(handler: RequestListener): RequestListener;
  draining(): boolean;
  /** Work to finish after the delay and before the listener closes (e.g. completing subscriptions). */
  beforeClose(hook: () => Promise<void>): void;
  /** Idempotent: a second call returns the first call's promise. */
  drain(server: Server, options: { delayMs: number; graceMs: number }): Promise<void>;
}

export function createDrainControl(): DrainControl {
  let draining = false;
  let drained: Promise<void> | undefined;
  const inFlight = new Set<ServerResponse>();
  let idle: (() => void) | undefined;
  const hooks: Array<() => Promise<void>> = [];

  function closeAfterResponse(res: ServerResponse): void {
    if (!res.headersSent) res.setHeader('connection', 'close');
  }

  async function waitForInFlight(graceMs: number): Promise<void> {
    if (inFlight.size === 0) return;
    const allDone = new Promise<void>((resolve) => (idle = resolve));
    const timer = sleep(graceMs, undefined, { ref: false });
    await Promise.race([allDone, timer]);
    idle = undefined;
  }

  return {
    track(handler) {
      // One listener function for every response ('close' comes once): no closure per request.
      function settled(this: ServerResponse): void {
        inFlight.delete(this);
        if (inFlight.size === 0) idle?.();
      }
      return (req: IncomingMessage, res: ServerResponse) => {
        inFlight.add(res);
        if (draining) closeAfterResponse(res);
        res.on('close', settled);
        handler(req, res);
      };
    },
    draining: () => draining,
    beforeClose(hook) {
      hooks.push(hook);
    },
    drain(server, options) {
      drained ??= (async () => {
        draining = true;
        for (const res of inFlight) closeAfterResponse(res);
        if (options.delayMs > 0) await sleep(options.delayMs, undefined, { ref: false });
        for (const hook of hooks) await hook().catch(() => undefined);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await waitForInFlight(options.graceMs);
        server.closeAllConnections();
        await closed;
      })();
      return drained;
    },
  };
}
