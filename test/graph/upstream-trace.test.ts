// The debug option: extensions.upstream tells frontend teams what their query cost PharmaOne.
import { describe, expect, it } from 'vitest';
import { dataOf, startStack, stackFixture } from '../support/gateway.ts';

describe('extensions.upstream', () => {
  const debug = stackFixture({ env: { GATEWAY_DEBUG_UPSTREAM: 'true' } });

  it('lists every REST call of the operation with method, path, status, time and cache use', async () => {
    const cold = await debug.gql('{ org(id: "org1") { order(id: "ORD_20260614_8v039dhnrv") { id shop { name } } } }');
    const warm = await debug.gql('{ org(id: "org1") { shops { id } } }');

    expect(cold.body.extensions?.upstream).toEqual({
      httpCalls: 3,
      calls: [
        {
          method: 'POST',
          route: 'POST /auth/token',
          path: '/api/v2/public/orgs/org1/auth/token',
          status: 200,
          ms: expect.any(Number),
          cached: false,
        },
        expect.objectContaining({
          method: 'GET',
          route: 'GET /orders/{id}',
          path: '/api/v2/public/orgs/org1/orders/ORD_20260614_8v039dhnrv',
          status: 200,
          cached: false,
        }),
        expect.objectContaining({ method: 'GET', route: 'GET /shops', path: '/api/v2/public/orgs/org1/shops', status: 200, cached: false }),
      ],
    });
    // The cold request paid for the token exchange; the warm one reuses the token.
    expect(debug.sandbox.calls.list()).toHaveLength(3 + 1);
    expect(warm.body.extensions?.upstream?.calls[0]).toEqual({
      method: 'POST',
      route: 'POST /auth/token',
      path: '/api/v2/public/orgs/org1/auth/token',
      status: 200,
      ms: 0,
      cached: true,
    });
  });

  it('is off by default', async () => {
    const plain = await startStack();
    try {
      const res = await plain.gql<{ org: { shops: unknown[] } }>('{ org(id: "org1") { shops { id } } }');
      expect(dataOf(res).org.shops).toHaveLength(2);
      expect(res.body.extensions?.upstream).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
