// Hardening class 14: the token exchange is not trusted blindly. A token whose `org_id` is another
// org, or that lacks `exp` or `scopes`, or is already expired, is refused before any use; and a
// token obtained for a request serves that whole request, even one PharmaOne says expires at once.
import { beforeEach, describe, expect, it } from 'vitest';
import { restCalls, stackFixture } from '../support/gateway.ts';

const TOKEN_ROUTE = 'POST /api/v2/public/orgs/{org}/auth/token';

const stack = stackFixture({ env: { TOKEN_NEGATIVE_CACHE_MS: '0' } });
beforeEach(() => {
  stack.sandbox.faults.clear();
  stack.sandbox.calls.clear();
});

const BAD_CLAIMS: Array<[string, Record<string, unknown>]> = [
  ['org_id of another org', { org_id: 'org2' }],
  ['no org_id', { org_id: null }],
  ['no exp', { exp: null }],
  ['an exp in the past', { exp: 1_000_000 }],
  ['an exp that is not a number', { exp: 'never' }],
  ['no scopes', { scopes: null }],
  ['scopes that are not a list', { scopes: 'orders:read' }],
];

describe('a token with claims that do not hold', () => {
  it.each(BAD_CLAIMS)('is refused (%s): invalid_response, and never sent to PharmaOne', async (_, tokenClaims) => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, tokenClaims, times: 1 }]);

    const res = await stack.gql('{ org(id: "org1") { shops { id } } }', undefined, { apikey: 'sandbox-org1-key' });

    expect(res.body.errors?.map((e) => [e.extensions?.code, e.extensions?.reason])).toEqual([['UPSTREAM_UNAVAILABLE', 'invalid_response']]);
    expect(restCalls(stack.sandbox)).toEqual(['POST /auth/token']);
  });
});

describe('expires_in: 0', () => {
  it('costs one exchange per request, however many fields need the token', async () => {
    stack.sandbox.faults.set([{ route: TOKEN_ROUTE, expiresIn: 0 }]);
    const query = `{ org(id: "org1") { shops { id } orders(first: 2) { nodes { id customerEmail } } prescriptions(first: 1) { totalCount }
      reports { dashboard { prescriptions { total } } } } }`;

    const first = await stack.gql(query);
    const second = await stack.gql(query);

    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    expect(stack.sandbox.calls.list({ route: TOKEN_ROUTE })).toHaveLength(2);
  });
});
