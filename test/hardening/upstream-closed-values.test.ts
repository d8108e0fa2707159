// Hardening class 9 (upstream part): only values from a closed, known set pass from PharmaOne into
// a response or a log: an `error` code only when the contract lists it, a `required_scope` only
// when it is a known scope name; anything else becomes a fixed text.
import { beforeEach, describe, expect, it } from 'vitest';
import { dataOf, stackFixture } from '../support/gateway.ts';

const CANARY = 'canary.person@example.com';
const ORDERS_ROUTE = 'GET /api/v2/public/orgs/{org}/orders';
const PATCH_ROUTE = 'PATCH /api/v2/public/orgs/{org}/orders/{id}/status';

const stack = stackFixture();
beforeEach(() => {
  stack.sandbox.faults.clear();
});

function leaks(res: { body: unknown }): boolean {
  return JSON.stringify(res.body).includes('canary') || stack.logText().includes('canary');
}

describe('upstream text in error bodies', () => {
  it('drops an unknown 400 error code: BAD_USER_INPUT without upstreamCode', async () => {
    stack.sandbox.faults.set([
      {
        route: ORDERS_ROUTE,
        respond: { status: 400, body: { error: `write to ${CANARY} at https://internal.invalid/x`, message: CANARY } },
      },
    ]);

    const res = await stack.gql('{ org(id: "org1") { orders(first: 1) { totalCount } } }');

    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(leaks(res)).toBe(false);
  });

  it('keeps a known error code', async () => {
    stack.sandbox.faults.set([{ route: ORDERS_ROUTE, respond: { status: 400, body: { error: 'invalid_parameter', message: CANARY } } }]);

    const res = await stack.gql('{ org(id: "org1") { orders(first: 1) { totalCount } } }');

    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', upstreamCode: 'invalid_parameter' });
    expect(leaks(res)).toBe(false);
  });

  it('does not echo a crafted required_scope, in queries or mutations', async () => {
    const body = { error: 'insufficient_scope', required_scope: `${CANARY} <script>`, message: CANARY };
    stack.sandbox.faults.set([
      { route: ORDERS_ROUTE, respond: { status: 403, body } },
      { route: PATCH_ROUTE, respond: { status: 403, body } },
    ]);

    const read = await stack.gql('{ org(id: "org1") { orders(first: 1) { totalCount } } }');
    const write = await stack.gql<{ updateOrderStatus: { userErrors: unknown } }>(
      'mutation { updateOrderStatus(input: { orgId: "org1", orderId: "ORD_20260614_8v039dhnrv", status: PACKED }) { userErrors { code message } } }',
    );

    expect(read.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(dataOf(write).updateOrderStatus.userErrors).toEqual([
      { code: 'FORBIDDEN', message: 'The credential may not make this change.' },
    ]);
    expect(leaks(read) || leaks(write)).toBe(false);
  });

  it('names a known scope', async () => {
    stack.sandbox.faults.set([
      { route: ORDERS_ROUTE, respond: { status: 403, body: { error: 'insufficient_scope', required_scope: 'orders:read', message: 'x' } } },
    ]);

    const res = await stack.gql('{ org(id: "org1") { orders(first: 1) { totalCount } } }');

    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: 'orders:read' });
  });

  it('maps upstream 422 field names to input paths only, never into messages', async () => {
    stack.sandbox.faults.set([
      {
        route: 'POST /api/v2/public/orgs/{org}/order-requests',
        respond: { status: 422, body: { error: 'validation_failed', message: CANARY, fields: [CANARY] } },
      },
    ]);

    const res = await stack.gql<{ submitOrderRequest: { userErrors: unknown } }>(
      'mutation($i: SubmitOrderRequestInput!) { submitOrderRequest(input: $i) { userErrors { field code message } } }',
      {
        i: {
          orgId: 'org1',
          shopId: 'shop1',
          customer: { name: 'Max', email: 'max@example.com' },
          items: [{ name: 'A', quantity: 1, unitPrice: '1.00' }],
        },
      },
    );

    expect(dataOf(res).submitOrderRequest.userErrors).toEqual([
      { field: null, code: 'INVALID_INPUT', message: 'PharmaOne rejected this value as missing or invalid.' },
    ]);
    expect(leaks(res)).toBe(false);
  });
});
