// The upstream attempt histogram binds each (route, status) series once and then writes to it
// directly: its Prometheus text must be exactly what prom-client's own observe() gives.
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src/observability/metrics.ts';

const NAME = 'pharmaone_upstream_request_duration_seconds';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const ATTEMPTS: Array<[string, number | string, number]> = [
  ['GET /orders', 200, 0.004],
  ['GET /orders', 200, 0.005],
  ['GET /orders', 200, 0.03],
  ['GET /orders/{id}', 200, 0.2],
  ['GET /orders', 503, 12],
  ['GET /orders/{id}', 404, 0.001],
  ['GET /orders', 200, 2.5],
  ['GET /orders', 'timeout', 10],
  ['GET /orders/{id}', 200, 0.011],
  ['GET /orders', 200, 0.0049],
];

function seriesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(NAME));
}

async function reference(attempts: typeof ATTEMPTS): Promise<string[]> {
  const registry = new Registry();
  const histogram = new Histogram({
    name: NAME,
    help: 'reference',
    labelNames: ['route', 'status'],
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const [route, status, seconds] of attempts) histogram.observe({ route, status: String(status) }, seconds);
  return seriesOf(await registry.metrics());
}

describe('upstream attempt histogram', () => {
  it('renders exactly what prom-client observe() renders for the same attempts', async () => {
    const metrics = createGatewayMetrics({ maxOperationNames: 10 });
    for (const [route, status, seconds] of ATTEMPTS) metrics.upstreamAttempt(route, status, seconds);

    expect(seriesOf(await metrics.render())).toEqual(await reference(ATTEMPTS));
  });

  it('puts durations at, just under and just over every bound in the bucket observe() picks', async () => {
    const durations = [0, -1, 1e-9, 1e6, ...BUCKETS.flatMap((bound) => [bound, bound * (1 - 1e-12), bound * (1 + 1e-12), bound + 1e-3])];
    const attempts = durations.flatMap((seconds, i): typeof ATTEMPTS => [
      ['GET /orders', i % 3 === 0 ? 'timeout' : 200, seconds],
      ['GET /orders/{id}', 200, seconds],
    ]);
    const metrics = createGatewayMetrics({ maxOperationNames: 10 });
    for (const [route, status, seconds] of attempts) metrics.upstreamAttempt(route, status, seconds);

    expect(seriesOf(await metrics.render())).toEqual(await reference(attempts));
  });

  it('counts again from zero after a registry reset', async () => {
    const metrics = createGatewayMetrics({ maxOperationNames: 10 });
    for (const [route, status, seconds] of ATTEMPTS) metrics.upstreamAttempt(route, status, seconds);
    metrics.registry.resetMetrics();
    const after = ATTEMPTS.slice(0, 3);
    for (const [route, status, seconds] of after) metrics.upstreamAttempt(route, status, seconds);

    expect(seriesOf(await metrics.render())).toEqual(await reference(after));
  });

  it('refuses a non-finite duration like prom-client does', () => {
    const metrics = createGatewayMetrics({ maxOperationNames: 10 });
    metrics.upstreamAttempt('GET /orders', 200, 0.01);

    expect(() => metrics.upstreamAttempt('GET /orders', 200, Number.NaN)).toThrow(TypeError);
  });
});
