// OpenTelemetry tracing, off unless OTEL_ENABLED (or OTEL_TRACES_EXPORTER) turns it on: one span
// per GraphQL operation (a child of the caller's `traceparent`, if sent) and one client span per
// PharmaOne HTTP attempt, whose W3C `traceparent` goes upstream. Nothing is registered globally
// (no global tracer provider or context manager), so several gateways can run in one process:
// the operation span travels in this instance's own AsyncLocalStorage. The SDK is imported only
// when tracing is on. Spans carry route templates and statuses, never URLs, bodies or tokens.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { EnvReader } from '../config/env.ts';
import type { UpstreamRequest } from '../upstream/http.ts';
import type { AttemptTracer, UpstreamSpan } from '../upstream/observed-http.ts';

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  exporter: 'otlp' | 'console' | 'none';
}

/** Off unless OTEL_ENABLED is true or OTEL_TRACES_EXPORTER names an exporter; OTEL_SDK_DISABLED=true wins. */
export function readTracing(read: EnvReader): TracingConfig {
  const exporter = read.oneOf('OTEL_TRACES_EXPORTER', ['otlp', 'console', 'none'], 'otlp');
  const asked = read.bool('OTEL_ENABLED', read.text('OTEL_TRACES_EXPORTER') !== undefined && exporter !== 'none');
  return {
    enabled: asked && !read.bool('OTEL_SDK_DISABLED', false),
    serviceName: read.text('OTEL_SERVICE_NAME', 'pharmaone-graph'),
    exporter,
  };
}

export interface Tracing extends AttemptTracer {
  /** Runs one HTTP request's handling inside an operation span. */
  inOperation<T>(req: IncomingMessage, work: () => Promise<T>): Promise<T>;
  /** Names the current operation span once the operation is parsed, e.g. `query Mobile`. */
  describeOperation(type: string | undefined, name: string | null | undefined): void;
  /** Marks the current operation span failed (errors in the response). */
  operationFailed(errorCount: number, hasData: boolean): void;
  /** A client span for one upstream attempt, child of the current operation span. */
  startUpstream(req: UpstreamRequest): UpstreamSpan | undefined;
  shutdown(): Promise<void>;
}

const NOOP: Tracing = {
  inOperation: (_req, work) => work(),
  describeOperation: () => {},
  operationFailed: () => {},
  startUpstream: () => undefined,
  shutdown: async () => {},
};

export async function createTracing(config: TracingConfig, override?: { exporter?: SpanExporter }): Promise<Tracing> {
  if (!config.enabled) return NOOP;
  const [
    { TracerProvider, BatchSpanProcessor, SimpleSpanProcessor, ConsoleSpanExporter },
    { W3CTraceContextPropagator },
    { resourceFromAttributes },
  ] = await Promise.all([import('@opentelemetry/sdk-trace'), import('@opentelemetry/core'), import('@opentelemetry/resources')]);

  let processors: SpanProcessor[];
  if (override?.exporter) {
    // Tests read spans as soon as they end.
    processors = [new SimpleSpanProcessor({ exporter: override.exporter })];
  } else if (config.exporter === 'console') {
    processors = [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })];
  } else if (config.exporter === 'otlp') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processors = [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })];
  } else {
    processors = [];
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('pharmaone-graph');
  const propagator = new W3CTraceContextPropagator();
  const operations = new AsyncLocalStorage<Context>();

  const currentSpan = (): Span | undefined => {
    const ctx = operations.getStore();
    return ctx ? trace.getSpan(ctx) : undefined;
  };

  return {
    async inOperation(req, work) {
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        'graphql.operation',
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET' } },
        parent,
      );
      try {
        return await operations.run(trace.setSpan(parent, span), work);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
    describeOperation(type, name) {
      const span = currentSpan();
      if (!span) return;
      // The span name stays low-cardinality; the caller-chosen name is an attribute only.
      span.updateName(`graphql.${type ?? 'operation'}`);
      if (type) span.setAttribute('graphql.operation.type', type);
      if (name) span.setAttribute('graphql.operation.name', name.slice(0, 128));
    },
    operationFailed(errorCount, hasData) {
      const span = currentSpan();
      if (!span) return;
      span.setAttribute('graphql.error.count', errorCount);
      if (!hasData) span.setStatus({ code: SpanStatusCode.ERROR });
    },
    startUpstream(req) {
      const parent = operations.getStore() ?? ROOT_CONTEXT;
      const url = new URL(req.url);
      const span = tracer.startSpan(
        req.route,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': req.method,
            'url.template': req.route,
            'server.address': url.hostname,
            ...(url.port ? { 'server.port': Number(url.port) } : {}),
            ...(req.orgId ? { 'pharmaone.org_id': req.orgId } : {}),
          },
        },
        parent,
      );
      const headers: Record<string, string> = {};
      propagator.inject(trace.setSpan(parent, span), headers, defaultTextMapSetter);
      return {
        headers,
        end(status) {
          if (typeof status === 'number') {
            span.setAttribute('http.response.status_code', status);
            if (status >= 500 || status === 429) span.setStatus({ code: SpanStatusCode.ERROR });
          } else {
            span.setAttribute('error.type', status);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
