// Per-operation telemetry: the duration of every GraphQL operation by (bounded) operation name and
// outcome for /metrics, and the operation span's name and status when tracing is on.
import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationOutcome } from '../../observability/metrics.ts';
import type { Tracing } from '../../observability/tracing.ts';

export interface OperationRecorder {
  operation(name: string | null | undefined, outcome: OperationOutcome, seconds: number): void;
}

export function operationTelemetryPlugin(deps: { metrics: OperationRecorder; tracing: Tracing }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ operation, operationName }) {
          deps.tracing.describeOperation(operation?.operation, operationName);
        },
        async willSendResponse({ response, operationName, request }) {
          let outcome: OperationOutcome = 'ok';
          if (response.body.kind === 'single') {
            const { errors, data } = response.body.singleResult;
            const hasData = data !== null && data !== undefined;
            if (errors?.length) {
              outcome = hasData ? 'partial' : 'error';
              deps.tracing.operationFailed(errors.length, hasData);
            }
          }
          deps.metrics.operation(operationName ?? request.operationName, outcome, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
