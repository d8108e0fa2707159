// Graceful shutdown of the HTTP server: readiness turns 503 at once; after `delayMs` (time for a
// load balancer to notice) the listener closes, so new connections are refused; requests in
// flight finish, for up to `graceMs`, on connections that close after their response; then any
// connection left is cut.
//
// Requests in flight are counted, not kept. A Set holding every ServerResponse until its 'close'
// made each young-generation collection copy and promote the request graphs it reached: with it,
// `orders(first:10)` promoted ~1.7 MB per scavenge (pauses 9–14 ms); without it, ~20 KB (2–4 ms),
// and CPU per request fell by 5–7 % (bench/RESULTS.md, issue 25). So a response
// learns that the server drains when its head is written (DrainAwareResponse below), not from a list.
import { ServerResponse } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DrainControl {
  /** Counts requests in flight; while draining, answers carry `Connection: close`. */
  track(handler: RequestListener): RequestListener;
  /** The response class for the tracked server (node:http's `ServerResponse` option): it writes `Connection: close` while draining. */
  responseClass: typeof ServerResponse;
  draining(): boolean;
  /** Work to finish after the delay and before the listener closes (e.g. completing subscriptions). */
  beforeClose(hook: () => Promise<void>): void;
  /** Idempotent: a second call returns the first call's promise. */
  drain(server: Server, options: { delayMs: number; graceMs: number }): Promise<void>;
}

export function createDrainControl(): DrainControl {
  let draining = false;
  let drained: Promise<void> | undefined;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const hooks: Array<() => Promise<void>> = [];

  /** Whatever wrote it (a route, Apollo, graphql-sse), a response's head is written here, once. */
  class DrainAwareResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    // node:http's overloads, passed through unchanged.
    override writeHead(...args: unknown[]): this {
      if (draining) this.setHeader('connection', 'close');
      return Reflect.apply(ServerResponse.prototype.writeHead, this, args);
    }
  }

  // One listener function for every response ('close' comes once): no closure per request.
  function settled(): void {
    inFlight -= 1;
    if (inFlight === 0) idle?.();
  }

  async function waitForInFlight(graceMs: number): Promise<void> {
    if (inFlight === 0) return;
    const allDone = new Promise<void>((resolve) => (idle = resolve));
    const timer = sleep(graceMs, undefined, { ref: false });
    await Promise.race([allDone, timer]);
    idle = undefined;
  }

  return {
    track(handler) {
      return (req, res) => {
        inFlight += 1;
        res.on('close', settled);
        handler(req, res);
      };
    },
    responseClass: DrainAwareResponse,
    draining: () => draining,
    beforeClose(hook) {
      hooks.push(hook);
    },
    drain(server, options) {
      drained ??= (async () => {
        draining = true;
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
