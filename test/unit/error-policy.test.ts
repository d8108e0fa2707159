// The one error policy (src/graphql/error-policy.ts), rule by rule, and its two entry points giving
// one answer: `format` (the prepared path, graphql-ws, graphql-sse) and `formatError` (Apollo's hook,
// called with what Apollo has made of the error).
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorPolicy } from '../../src/graphql/error-policy.ts';
import { UpstreamUnavailableError } from '../../src/upstream/upstream-errors.ts';

const policy = createErrorPolicy({ suggestions: false });

/** What Apollo hands formatError for an error: its JSON, `code` defaulted, `extensions.http` taken out. */
function apolloFormatted(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions;
  return { ...error.toJSON(), extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' } };
}

const CASES: Array<[string, GraphQLError, { code: unknown; message: string; status: number | undefined }]> = [
  [
    'a refusal naming its status',
    new GraphQLError('Too deep.', { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } }),
    { code: 'QUERY_TOO_COMPLEX', message: 'Too deep.', status: 400 },
  ],
  [
    'a 4xx refusal without a code (Apollo-style) becomes BAD_REQUEST',
    new GraphQLError('provided sha does not match query', { extensions: { http: { status: 400 } } }),
    { code: 'BAD_REQUEST', message: 'provided sha does not match query', status: 400 },
  ],
  [
    'an error thrown on purpose keeps its code and message',
    new GraphQLError('Shop "x" was not found.', { extensions: { code: 'NOT_FOUND' } }),
    { code: 'NOT_FOUND', message: 'Shop "x" was not found.', status: undefined },
  ],
  [
    'a suggestion is cut when suggestions are off',
    new GraphQLError('Cannot query field "ordrs" on type "Org". Did you mean "orders"?', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    }),
    { code: 'GRAPHQL_VALIDATION_FAILED', message: 'Cannot query field "ordrs" on type "Org".', status: undefined },
  ],
  [
    'a programming error is masked',
    new GraphQLError('Cannot read properties of undefined (reading "x")', {
      path: ['org'],
      originalError: new TypeError('boom at /srv/app.ts:1'),
    }),
    { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error.', status: undefined },
  ],
  [
    'a classified PharmaOne failure gets its client-safe message',
    new GraphQLError('upstream said 503 at https://internal', {
      path: ['org', 'orders'],
      originalError: new UpstreamUnavailableError({ route: 'orders', reason: 'timeout', mayHaveArrived: false }),
    }),
    { code: 'UPSTREAM_UNAVAILABLE', message: 'PharmaOne is unavailable right now (timeout). Try again shortly.', status: undefined },
  ],
];

describe('the error policy', () => {
  it.each(CASES)('%s', (_, error, expected) => {
    const { errors, status } = policy.format([error]);
    expect(status).toBe(expected.status);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(expected.message);
    expect(errors[0]?.extensions?.code).toBe(expected.code);
    // Never sent: the status marker, a stack, the runtime cause.
    expect(JSON.stringify(errors)).not.toMatch(/"http"|stacktrace|TypeError|\/srv\/|https:\/\/internal/);
  });

  it.each(CASES)('answers %s the same through Apollo’s hook', (_, error) => {
    expect(policy.formatError(apolloFormatted(error), error)).toEqual(policy.format([error]).errors[0]);
  });

  it('makes a GraphQLError of anything thrown, and masks it', () => {
    const { errors } = policy.format([new RangeError('secret detail'), 'a string']);
    expect(errors.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(errors)).not.toContain('secret detail');
  });

  it('takes the status of the last error that names one', () => {
    const errors = [
      new GraphQLError('a', { extensions: { code: 'X', http: { status: 413 } } }),
      new GraphQLError('b', { extensions: { code: 'Y' } }),
      new GraphQLError('c', { extensions: { code: 'Z', http: { status: 400 } } }),
    ];
    expect(policy.format(errors).status).toBe(400);
    expect(policy.format(errors.slice(0, 2)).status).toBe(413);
  });

  it('answers the masked error when formatting itself throws', () => {
    const hostile = new GraphQLError('x', { extensions: { code: 'X' } });
    Object.defineProperty(hostile.extensions, 'detail', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    expect(policy.format([hostile]).errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  });
});
