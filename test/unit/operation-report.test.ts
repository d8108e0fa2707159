import { describe, expect, it } from 'vitest';
import { withoutSuggestion } from '../../src/graphql/safety/client-mistakes.ts';
import { errorsIn } from '../../src/observability/operation-report.ts';

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
