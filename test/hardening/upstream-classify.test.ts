// classify() is the one reading of an upstream failure; the GraphQL renderer and the write
// runner both follow it. A pure table: each failure, its class.
import { describe, expect, it } from 'vitest';
import { MissingScopeError, OrgNotGrantedError } from '../../src/auth/auth-errors.ts';
import { classify } from '../../src/upstream/classify.ts';
import { ShopProxyNotConfiguredError } from '../../src/upstream/routes.ts';
import {
  InvalidUpstreamInputError,
  TokenExchangeLimitError,
  UpstreamCallBudgetExceededError,
  UpstreamStatusError,
  UpstreamUnavailableError,
} from '../../src/upstream/upstream-errors.ts';
import { outcomeOfFailure } from '../../src/writes/run-write.ts';

const route = 'GET /orders';
const status = (s: number, retryAfterSeconds?: number) => new UpstreamStatusError({ status: s, route, retryAfterSeconds });
const unavailable = (reason: UpstreamUnavailableError['reason'], mayHaveArrived: boolean) =>
  new UpstreamUnavailableError({ route, reason, mayHaveArrived });

describe('classify', () => {
  it.each([
    ['401', status(401), { code: 'UNAUTHENTICATED', reason: null, retryable: false, status: 401, delivery: 'answered' }],
    ['403', status(403), { code: 'FORBIDDEN', reason: null, retryable: false, status: 403, delivery: 'answered' }],
    ['404', status(404), { code: 'NOT_FOUND', reason: null, retryable: false, status: 404, delivery: 'answered' }],
    ['409', status(409), { code: 'BAD_USER_INPUT', reason: null, retryable: false, status: 409, delivery: 'answered' }],
    [
      '429',
      status(429, 7),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'rate_limited', retryable: true, status: 429, delivery: 'not_sent', retryAfterSeconds: 7 },
    ],
    ['503', status(503), { code: 'UPSTREAM_UNAVAILABLE', reason: null, retryable: true, status: 503, delivery: 'unknown' }],
    ['418', status(418), { code: 'INTERNAL_SERVER_ERROR', reason: null, retryable: false, status: 418, delivery: 'answered' }],
    [
      'reset',
      unavailable('reset', true),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'reset', retryable: true, status: null, delivery: 'unknown' },
    ],
    [
      'circuit open',
      unavailable('circuit_open', false),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit_open', retryable: true, status: null, delivery: 'not_sent' },
    ],
    [
      'invalid answer',
      unavailable('invalid_response', true),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response', retryable: false, status: null, delivery: 'unknown' },
    ],
    [
      'too large',
      unavailable('too_large', true),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'too_large', retryable: false, status: null, delivery: 'unknown' },
    ],
    [
      'invalid id',
      new InvalidUpstreamInputError({ argument: 'id', rule: 'id' }),
      { code: 'BAD_USER_INPUT', reason: 'invalid_id', retryable: false, status: null, delivery: 'not_sent' },
    ],
    [
      'budget',
      new UpstreamCallBudgetExceededError(10),
      { code: 'QUERY_TOO_EXPENSIVE', reason: 'call_budget', retryable: false, status: null, delivery: 'not_sent' },
    ],
    [
      'exchanges',
      new TokenExchangeLimitError(5),
      { code: 'QUERY_TOO_EXPENSIVE', reason: 'token_exchanges', retryable: false, status: null, delivery: 'not_sent' },
    ],
    [
      'missing scope',
      new MissingScopeError(route, 'orders:read'),
      { code: 'FORBIDDEN', reason: 'missing_scope', retryable: false, status: null, delivery: 'not_sent' },
    ],
    [
      'org not granted',
      new OrgNotGrantedError('org2'),
      { code: 'FORBIDDEN', reason: 'org_not_granted', retryable: false, status: null, delivery: 'not_sent' },
    ],
    [
      'no shop proxy',
      new ShopProxyNotConfiguredError(),
      { code: 'UPSTREAM_UNAVAILABLE', reason: 'shop_proxy_not_configured', retryable: false, status: null, delivery: 'not_sent' },
    ],
  ])('%s', (_, failure, expected) => {
    expect(classify(failure)).toEqual(expect.objectContaining(expected));
  });

  it('knows nothing of a plain Error (a bug: masked and logged)', () => {
    expect(classify(new Error('boom'))).toBeNull();
    expect(classify('boom')).toBeNull();
  });
});

describe('the write runner follows the classification', () => {
  const context = { inputPath: () => null, idempotencyKey: undefined };

  it.each([
    ['not sent', unavailable('circuit_open', false), 'UPSTREAM_UNAVAILABLE'],
    ['rate limited', status(429), 'UPSTREAM_UNAVAILABLE'],
    ['may have arrived', unavailable('reset', true), 'OUTCOME_UNKNOWN'],
    ['5xx after sending', status(503), 'OUTCOME_UNKNOWN'],
    ['bad id', new InvalidUpstreamInputError({ argument: 'orderId', rule: 'id' }), 'INVALID_INPUT'],
    ['transition', status(409), 'INVALID_TRANSITION'],
  ])('%s → userErrors %s', (_, failure, code) => {
    expect(outcomeOfFailure(failure, context)).toEqual({ kind: 'rejected', userErrors: [expect.objectContaining({ code })] });
  });

  it.each([
    ['401', status(401)],
    ['budget', new UpstreamCallBudgetExceededError(3)],
    ['a bug', new Error('boom')],
  ])('%s stays an error of the mutation field', (_, failure) => {
    expect(outcomeOfFailure(failure, context)).toEqual({ kind: 'thrown', error: failure });
  });
});
