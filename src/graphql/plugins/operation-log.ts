// What Apollo knows about an operation and the HTTP layer does not: its name and type (noted in the
// request scope for the one per-request log line and metric, which src/observability/
// operation-report.ts writes after the response is sent, whatever path the request took), the
// operation span's name and status, and one error-level line per unexpected error with the same
// request id that the client sees in the masked error.
import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationTypeNode } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../../logging/logger.ts';
import { currentRequestId, noteOperation } from '../../logging/request-scope.ts';
import { safeOperationName } from '../../observability/operation-names.ts';
import type { Tracing } from '../../observability/tracing.ts';
import { isExpectedError } from '../errors.ts';
import { isClientMistake } from '../safety/client-mistakes.ts';

export interface OperationLogDeps {
  logger: Logger;
  tracing: Tracing;
}

/** The operation Apollo (or the prepared-operation path) resolved: noted for the log line and metric, and named on the span. */
export function noteResolvedOperation(deps: OperationLogDeps, type: OperationTypeNode | undefined, name: string | null): void {
  if (type) noteOperation({ name: safeOperationName(name), requested: name ?? undefined, type });
  deps.tracing.describeOperation(type, safeOperationName(name));
}

/** One error-level line per error that is neither expected nor a client mistake, with the request id the masked error shows. */
export function logUnexpectedErrors(deps: OperationLogDeps, errors: readonly unknown[]): void {
  for (const error of errors) {
    const original = unwrapResolverError(error);
    if (!isExpectedError(original) && !isClientMistake(original))
      deps.logger.error({ requestId: currentRequestId(), err: original }, 'unexpected error');
  }
}

export function operationLogPlugin(deps: OperationLogDeps): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          noteResolvedOperation(deps, operation?.operation, operationName);
        },
        async didEncounterErrors({ errors }) {
          logUnexpectedErrors(deps, errors);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (errors?.length) deps.tracing.operationFailed(errors.length, data !== null && data !== undefined);
        },
      };
    },
  };
}
