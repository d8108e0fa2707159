import { describe, expect, it } from 'vitest';
import { withoutSuggestion } from '../../src/graphql/safety/client-mistakes.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { runInRequestScope } from '../../src/logging/request-scope.ts';
import { createOperationReporter, errorsIn } from '../../src/observability/operation-report.ts';
import type { GraphqlRequestDone } from '../../src/observability/operation-report.ts';

/** The line and the metric calls one report makes, through a real logger. */
function report(done: GraphqlRequestDone) {
  const written: string[] = [];
  const calls: unknown[][] = [];
  const reporter = createOperationReporter({
    logger: createLogger({ destination: { write: (line: string) => written.push(line) } }),
    metrics: {
      operation: (...args) => calls.push(['operation', ...args]),
      operationErrors: (codes) => calls.push(['operationErrors', codes]),
    },
  });
  runInRequestScope('req-1', () => reporter(done));
  const { time: _, pid: __, hostname: ___, ...line } = JSON.parse(written[0] ?? '{}') as Record<string, unknown>;
  return { lines: written.length, line, keys: Object.keys(line), calls };
}

describe('the operation report line', () => {
  const done: GraphqlRequestDone = {
    method: 'POST',
    status: 200,
    body: '{"data":{"a":null},"errors":[{"extensions":{"code":"NOT_FOUND"}}]}',
    durationMs: 12.6,
    callerMode: 'integration',
    upstreamTrace: [
      { route: 'GET /orders', status: 200 },
      { route: 'GET /orders/{id}', status: 200 },
      { route: 'GET /orders/{id}', status: 404 },
      { route: 'GET /orders/{id}', status: 200, cached: true },
      { route: 'GET /orders/{id}', status: 200 },
      { route: 'POST /auth/token', status: 'timeout' },
    ],
  };

  it('counts the calls sent (cached ones aside) by route and status, in a fixed key order', () => {
    const { lines, line, keys, calls } = report(done);
    expect(lines).toBe(1);
    expect(keys).toEqual([
      'level',
      'service',
      'requestId',
      'callerMode',
      'transport',
      'httpMethod',
      'durationMs',
      'httpStatus',
      'errorCodes',
      'upstreamCalls',
      'upstream',
      'msg',
    ]);
    expect(line).toMatchObject({ requestId: 'req-1', transport: 'http', durationMs: 13, errorCodes: ['NOT_FOUND'], upstreamCalls: 5 });
    expect(line.upstream).toEqual({
      'GET /orders 200': 1,
      'GET /orders/{id} 200': 2,
      'GET /orders/{id} 404': 1,
      'POST /auth/token timeout': 1,
    });
    expect(calls).toEqual([
      ['operation', undefined, 'partial', 0.0126],
      ['operationErrors', ['NOT_FOUND']],
    ]);
  });

  it('writes the parts of an answer sent in parts last, and no parts key otherwise', () => {
    expect(report({ ...done, parts: 3 }).keys.slice(-3)).toEqual(['upstream', 'parts', 'msg']);
    expect(report({ ...done, parts: 3 }).line.parts).toBe(3);
    expect(report({ ...done, upstreamTrace: undefined }).line).toMatchObject({ upstreamCalls: 0, upstream: {} });
  });
});

describe('errorsIn (the codes a client saw, from the body it was sent)', () => {
  it('reads distinct codes and whether data came with them', () => {
    expect(errorsIn('{"data":{"a":1}}', 200)).toEqual({ errorCodes: [], hasData: true });
    expect(
      errorsIn('{"data":{"a":null},"errors":[{"extensions":{"code":"NOT_FOUND"}},{"extensions":{"code":"NOT_FOUND"}},{}]}', 200),
    ).toEqual({ errorCodes: ['NOT_FOUND', 'INTERNAL_SERVER_ERROR'], hasData: true });
    expect(errorsIn('{"errors":[{"extensions":{"code":"BAD_REQUEST"}}]}', 400)).toEqual({ errorCodes: ['BAD_REQUEST'], hasData: false });
  });

  it('falls back to the status when the body is no GraphQL response', () => {
    expect(errorsIn(undefined, 408)).toEqual({ errorCodes: ['BAD_REQUEST'], hasData: false });
    expect(errorsIn('<html>', 502)).toEqual({ errorCodes: ['INTERNAL_SERVER_ERROR'], hasData: false });
    expect(errorsIn('{}', 500)).toEqual({ errorCodes: ['INTERNAL_SERVER_ERROR'], hasData: false });
  });
});

describe('withoutSuggestion', () => {
  it.each([
    ['Cannot query field "ordrs" on type "Org". Did you mean "orders" or "order"?', 'Cannot query field "ordrs" on type "Org".'],
    [
      'Variable "$s" got invalid value "X"; Value "X" does not exist in "OrderStatus" enum. Did you mean the enum value "PENDING"?',
      'Variable "$s" got invalid value "X"; Value "X" does not exist in "OrderStatus" enum.',
    ],
    ['Unknown type "Orgg". Did you mean "Org", "Order", or\n"OrderItem"?', 'Unknown type "Orgg".'],
    ['Syntax Error: Expected Name, found <EOF>.', 'Syntax Error: Expected Name, found <EOF>.'],
  ])('%s', (message, expected) => {
    expect(withoutSuggestion(message)).toBe(expected);
  });
});
