// METRICS_PORT: Prometheus (and the probes) on an internal listener the Ingress never exposes, and
// no /metrics on the public port. Unset, everything stays on PORT (local runs, the default).
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, stackFixture } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

async function get(url: string) {
  const res = await request(url);
  return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() };
}

describe('METRICS_PORT set', () => {
  let stack: TestStack;
  let publicOrigin: string;
  let metricsOrigin: string;
  beforeAll(async () => {
    stack = await startStack({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } });
    publicOrigin = new URL(stack.gateway.url).origin;
    metricsOrigin = stack.gateway.metricsUrl ?? '';
  });
  afterAll(() => stack.close());

  it('serves /metrics on the metrics listener, a port of its own', async () => {
    await stack.gql('query Counted { org(id: "org1") { shops { id } } }');
    const metrics = await get(`${metricsOrigin}/metrics`);

    expect(metricsOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(metricsOrigin).port).not.toBe(new URL(publicOrigin).port);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('graphql_operation_duration_seconds_count{operation="Counted",outcome="ok"} 1');
  });

  it('does not serve /metrics on the public port', async () => {
    const res = await get(`${publicOrigin}/metrics`);

    expect(res.status).toBe(404);
    expect(res.text).not.toContain('graphql_operation');
  });

  it('answers the probes on both listeners, GraphQL only on the public one', async () => {
    for (const origin of [publicOrigin, metricsOrigin]) {
      expect((await get(`${origin}/healthz`)).status).toBe(200);
      expect((await get(`${origin}/readyz`)).status).toBe(200);
    }
    expect((await get(`${metricsOrigin}/graphql`)).status).toBe(404);
  });
});

describe('METRICS_PORT unset', () => {
  const stack = stackFixture();

  it('keeps /metrics on the public port and opens no other listener', async () => {
    const res = await get(stack.gateway.url.replace('/graphql', '/metrics'));

    expect(res.status).toBe(200);
    expect(stack.gateway.metricsUrl).toBeUndefined();
  });
});
