// OpenTelemetry: a span per operation and per upstream attempt (read from an in-memory exporter),
// and the W3C traceparent each upstream call carried (read from the sandbox's call log).
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

const MOBILE = 'query Mobile { org(id: "org1") { orders(first: 2) { nodes { id items { name } } } } }';

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack({ env: { OTEL_ENABLED: 'true' }, gateway: { spanExporter: exporter } });
    await stack.gql('{ org(id: "org1") { id } }');
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    stack.sandbox.reset();
    exporter.reset();
  });

  it('makes one operation span and one client span per upstream call, and sends each call its traceparent', async () => {
    await stack.gql(MOBILE);

    const spans = exporter.getFinishedSpans();
    const operation = must(
      spans.find((span) => span.kind === SpanKind.SERVER),
      'the operation span',
    );
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(operation.name).toBe('graphql.query');
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'Mobile', 'graphql.operation.type': 'query' });
    expect(clients.map((span) => span.name).sort()).toEqual(['GET /orders', 'GET /orders/{id}', 'GET /orders/{id}']);
    for (const span of clients) {
      expect(span.spanContext().traceId).toBe(operation.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(operation.spanContext().spanId);
      expect(span.attributes['http.response.status_code']).toBe(200);
    }
    const sent = stack.sandbox.calls.list().map((call) => call.traceparent);
    const expected = clients.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(sent.sort()).toEqual(expected.sort());
  });

  it("continues the caller's trace when the request carries a traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await stack.gql('{ org(id: "org1") { shops { id } } }', undefined, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });

    const operation = must(
      exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER),
      'the operation span',
    );
    expect(operation.spanContext().traceId).toBe(traceId);
    expect(operation.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(stack.sandbox.calls.list()[0]?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });

  it('gives each retried attempt its own span, the failed one marked as an error', async () => {
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 503, times: 1 }]);

    await stack.gql('{ org(id: "org1") { shops { id } } }');

    const clients = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients.map((span) => [span.name, span.attributes['http.response.status_code'], span.status.code])).toEqual([
      ['GET /shops', 503, 2],
      ['GET /shops', 200, 0],
    ]);
    expect(new Set(stack.sandbox.calls.list().map((call) => call.traceparent)).size).toBe(2);
  });
});

describe('tracing off (the default)', () => {
  it('sends no traceparent upstream', async () => {
    const stack = await startStack();
    try {
      await stack.gql('{ org(id: "org1") { shops { id } } }');

      expect(stack.sandbox.calls.list().map((call) => call.traceparent)).toEqual([undefined, undefined]);
    } finally {
      await stack.close();
    }
  });
});
