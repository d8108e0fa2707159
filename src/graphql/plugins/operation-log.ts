// One log line per GraphQL operation (request id, operation, duration, outcome, error codes, the
// PharmaOne calls it made by route and status), and one per unexpected error, with the same
// request id that the client sees in the masked error.
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../../logging/logger.ts';
import { currentRequestId } from '../../logging/request-scope.ts';
import type { GatewayContext } from '../context.ts';
import { isExpectedError } from '../errors.ts';

const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export function operationLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      // The caller's operationName is free text until the document is parsed: kept only if it is a Name.
      const requestedName = request.operationName && OPERATION_NAME.test(request.operationName) ? request.operationName : undefined;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (!isExpectedError(original)) logger.error({ requestId: currentRequestId(), err: original }, 'unexpected error');
          }
        },
        async willSendResponse({ response, contextValue, operation, errors }) {
          const calls = contextValue?.upstreamTrace?.filter((call) => !call.cached) ?? [];
          const byStatus: Record<string, number> = {};
          for (const call of calls) byStatus[`${call.route} ${call.status}`] = (byStatus[`${call.route} ${call.status}`] ?? 0) + 1;
          const codes = [...new Set((errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          logger.info(
            {
              requestId: currentRequestId(),
              operationName: operation?.name?.value ?? requestedName,
              operationType: operation?.operation,
              callerMode: contextValue?.caller?.mode,
              durationMs: Math.round(performance.now() - started),
              httpStatus: response.http.status ?? 200,
              errorCodes: codes,
              upstreamCalls: calls.length,
              upstream: byStatus,
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
