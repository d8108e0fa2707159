// Observes every PharmaOne HTTP attempt (it sits under the resilience layer, so each retry is one
// attempt): its latency by route template and status for /metrics, and a client span whose W3C
// `traceparent` header goes upstream.
import type { UpstreamHttp, UpstreamRequest, UpstreamResponse } from './http.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';

// The observers are the layer above (src/observability/: metrics.ts records, tracing.ts traces);
// this file names only what it asks of them.
export interface AttemptRecorder {
  upstreamAttempt(route: string, status: number | string, seconds: number): void;
}

/** A client span for one upstream attempt. */
export interface UpstreamSpan {
  /** Headers to send upstream (`traceparent`). */
  headers: Record<string, string>;
  end(status: number | string): void;
}

export interface AttemptTracer {
  /** A span for this attempt, child of the current operation's; undefined when tracing is off. */
  startUpstream(req: UpstreamRequest): UpstreamSpan | undefined;
}

export function createObservedHttp(http: UpstreamHttp, observers: { metrics: AttemptRecorder; tracing: AttemptTracer }): UpstreamHttp {
  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const span = observers.tracing.startUpstream(req);
    const started = performance.now();
    const finish = (status: number | string) => {
      observers.metrics.upstreamAttempt(req.route, status, (performance.now() - started) / 1000);
      span?.end(status);
    };
    try {
      const res = await http.send(span ? { ...req, headers: { ...req.headers, ...span.headers } } : req);
      finish(res.status);
      return res;
    } catch (error) {
      finish(error instanceof UpstreamUnavailableError ? error.reason : 'error');
      throw error;
    }
  }
  return { send, close: () => http.close() };
}
