// /readyz and /metrics over real HTTP: readiness with the breaker state per origin, and the
// Prometheus text a query leaves behind (operation, upstream attempt, retry, token, loader,
// breaker and event-loop series), with operation-name labels bounded.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, stackFixture } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

async function get(stack: TestStack, path: string) {
  const res = await request(stack.gateway.url.replace('/graphql', path));
  return { status: res.statusCode, type: res.headers['content-type'], text: await res.body.text() };
}

describe('/readyz', () => {
  const stack = stackFixture();

  it('is 200 with the breaker state of every upstream origin called so far', async () => {
    const before = await get(stack, '/readyz');
    await stack.gql('{ org(id: "org1") { shops { id } } }');
    const after = await get(stack, '/readyz');

    expect(before.status).toBe(200);
    const stores = { mode: 'memory', redis: [] };
    expect(JSON.parse(before.text)).toEqual({ status: 'ready', upstream: { breakers: [] }, stores });
    expect(JSON.parse(after.text)).toEqual({
      status: 'ready',
      upstream: { breakers: [{ origin: stack.sandbox.url, state: 'closed' }] },
      stores,
    });
  });

  it('answers GET only', async () => {
    const res = await request(stack.gateway.url.replace('/graphql', '/readyz'), { method: 'POST' });
    await res.body.dump();

    expect(res.statusCode).toBe(405);
  });
});

describe('/metrics', () => {
  let stack: TestStack;
  let text: string;
  beforeAll(async () => {
    stack = await startStack();
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders', errorRate: 1, errorStatus: 503, times: 1 }]);
    await stack.gql('query Mobile { org(id: "org1") { orders(first: 2) { nodes { id shop { name } } } } }');
    await stack.gql('query Broken { org(id: "org1") { order(id: "ORD_20990101_missing") { id } } }');
    const res = await get(stack, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    text = res.text;
  });
  afterAll(() => stack.close());

  it('times operations by name and outcome', () => {
    expect(text).toContain('graphql_operation_duration_seconds_count{operation="Mobile",outcome="ok"} 1');
    expect(text).toContain('graphql_operation_duration_seconds_count{operation="Broken",outcome="partial"} 1');
  });

  it('counts upstream attempts and their latency by route template and status, retries by reason', () => {
    expect(text).toContain('pharmaone_upstream_request_duration_seconds_count{route="GET /orders",status="503"} 1');
    expect(text).toContain('pharmaone_upstream_request_duration_seconds_count{route="GET /orders",status="200"} 1');
    expect(text).toContain('pharmaone_upstream_request_duration_seconds_count{route="GET /shops",status="200"} 1');
    expect(text).toContain('pharmaone_upstream_request_duration_seconds_count{route="GET /orders/{id}",status="404"} 1');
    expect(text).toContain('pharmaone_upstream_retries_total{route="GET /orders",reason="503"} 1');
  });

  it('counts token exchanges and token-cache hits', () => {
    expect(text).toContain('pharmaone_token_exchanges_total{outcome="ok"} 1');
    expect(text).toContain('pharmaone_token_cache_lookups_total{result="miss"} 1');
    expect(text).toMatch(/pharmaone_token_cache_lookups_total\{result="hit"\} [1-9]/);
  });

  it('records loader batch sizes, breaker state and event-loop lag', () => {
    expect(text).toContain('graphql_loader_batch_size_count{loader="shopsByOrg"} 1');
    expect(text).toContain('graphql_loader_batch_size_sum{loader="shopsByOrg"} 1');
    expect(text).toContain(`pharmaone_circuit_breaker_state{origin="${stack.sandbox.url}"} 0`);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
  });
});

describe('operation-name labels', () => {
  it('keeps the first N names, puts later ones in "other", and never uses an overlong name', async () => {
    const stack = await startStack({ env: { METRICS_MAX_OPERATION_NAMES: '2' } });
    try {
      for (const name of ['A', 'B', 'C', 'D', 'A', `N${'x'.repeat(100)}`]) await stack.gql(`query ${name} { viewer { mode } }`);
      await stack.gql('{ viewer { mode } }');

      const { text } = await get(stack, '/metrics');
      const labels = [...text.matchAll(/^graphql_operation_duration_seconds_count\{operation="([^"]*)",outcome="ok"\} (\d+)$/gm)].map(
        ([, operation, count]) => `${operation}=${count}`,
      );
      expect(labels.sort()).toEqual(['A=2', 'B=1', 'anonymous=1', 'invalid=1', 'other=2']);
    } finally {
      await stack.close();
    }
  });
});
