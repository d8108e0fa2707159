// Operator endpoints: /readyz (may this instance get traffic?) and /metrics (Prometheus).
// Readiness answers 503 only while draining. An open upstream breaker is reported, not failed on:
// PharmaOne being down is the same for every replica, and pulling them all out of the load
// balancer would turn partial answers into connection errors.
import type { RouteHandler } from './router.ts';
import { getOnly } from './router.ts';
import { sendJson } from './graphql-handler.ts';

// An unreachable Redis is reported too, not failed on: reads go on without the shared caches and
// only keyed writes refuse, so the replica is still worth its traffic.
export function readinessProbe(deps: {
  draining: () => boolean;
  breakers: () => Array<{ origin: string; state: string }>;
  stores?: () => unknown;
}): RouteHandler {
  return getOnly((_req, res) => {
    const draining = deps.draining();
    sendJson(res, draining ? 503 : 200, {
      status: draining ? 'draining' : 'ready',
      upstream: { breakers: deps.breakers() },
      ...(deps.stores && { stores: deps.stores() }),
    });
  });
}

export function metricsEndpoint(metrics: { contentType: string; render(): Promise<string> }): RouteHandler {
  return getOnly(async (_req, res) => {
    const text = await metrics.render();
    res.statusCode = 200;
    res.setHeader('content-type', metrics.contentType);
    res.setHeader('cache-control', 'no-store');
    res.end(text);
  });
}
