// Observes every PharmaOne HTTP attempt (it sits under the resilience layer, so each retry is one
// attempt): its latency by route template and status for /metrics, and a client span whose W3C
// `traceparent` header goes upstream.
import type { UpstreamHttp, UpstreamRequest, UpstreamResponse } from './http.ts';
import { UpstreamUnavailableError } from './upstream-errors.ts';
import type { Tracing } from '../observability/tracing.ts';

export interface AttemptRecorder {
  upstreamAttempt(route: string, status: number | string, seconds: number): void;
}

export function createObservedHttp(http: UpstreamHttp, observers: { metrics: AttemptRecorder; tracing: Tracing }): UpstreamHttp {
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
