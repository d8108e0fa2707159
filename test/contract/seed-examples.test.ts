import { describe, expect, it } from 'vitest';
import { expectContract, expectRequestContract, findOperation } from '../support/contract.ts';
import { seedSample } from '../support/seed-samples.ts';

const ORG = '/api/v2/public/orgs/org1';

type Key = string | number;
const REMOVE = Symbol('remove');

/** A deep copy of `value` with the member at `path` replaced (or removed). */
function changed(value: unknown, path: Key[], replacement: unknown): unknown {
  const copy = structuredClone(value);
  let parent = copy as Record<Key, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<Key, unknown>;
  const last = path.at(-1) as Key;
  if (replacement === REMOVE) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** A check that `body` is a valid 200 answer of `method path`, to run inside `expect(…).toThrow()`. */
const answerTo = (method: string, path: string) => (body: unknown) => () => expectContract({ method, path, status: 200, body });

/** What a test changes in a sample (the member at `path` replaced, or removed with REMOVE) and the error the check must give. */
type Breakage = [what: string, path: Key[], replacement: unknown, error: RegExp];

/** One test per row: `check` refuses the sample broken as the row says, naming what is wrong. */
function itRejects(check: (body: unknown) => () => void, sample: unknown, breakages: Breakage[]) {
  it.each(breakages)('rejects %s', (_, path, replacement, error) => {
    expect(check(changed(sample, path, replacement))).toThrow(error);
  });
}

describe('§1 token response (01-token-response.json)', () => {
  const token = seedSample('01-token-response.json');
  const respond = answerTo('POST', `${ORG}/auth/token`);

  it('matches the exchangeToken 200 schema', () => {
    expect(respond(token)).not.toThrow();
  });

  itRejects(respond, token, [
    ['expires_in sent as a string', ['expires_in'], '3600', /expires_in must be integer/],
    ['a response without access_token', ['access_token'], REMOVE, /access_token/],
  ]);
});

describe('§3 orders list (03-orders-list.json)', () => {
  const orders = seedSample('03-orders-list.json');
  const respond = answerTo('GET', `${ORG}/orders`);

  it('matches the listOrders 200 schema', () => {
    expect(respond(orders)).not.toThrow();
  });

  itRejects(respond, orders, [
    ['total_amount sent as a string', ['data', 0, 'total_amount'], '98.25', /\/data\/0\/total_amount must be number/],
    ['a list without pagination', ['pagination'], REMOVE, /pagination/],
    ['a created_at that is not a date-time', ['data', 1, 'created_at'], 'yesterday', /created_at must match format "date-time"/],
  ]);

  it('accepts status values and fields it does not know, because response enums and objects are open', () => {
    const future = changed(changed(orders, ['data', 0, 'status'], 'on_hold'), ['data', 0, 'loyalty_points'], 12);
    expect(respond(changed(future, ['data', 1, 'payment_status'], 'partially_refunded'))).not.toThrow();
  });
});

describe('§4 order detail (04-order-detail.json)', () => {
  const order = seedSample('04-order-detail.json');
  const respond = answerTo('GET', `${ORG}/orders/ORD_20260614_8v039dhnrv`);

  it('matches the getOrder 200 schema, empty p1_id included', () => {
    expect(respond(order)).not.toThrow();
  });

  itRejects(respond, order, [
    ['an item without price', ['items', 0, 'price'], REMOVE, /\/items\/0 must have required property 'price'/],
    ['p1_id sent as a number', ['items', 0, 'p1_id'], 123, /p1_id must be string/],
    ['an order without customer_email, which only the summary may lack', ['customer_email'], REMOVE, /customer_email/],
  ]);
});

describe('§13 dashboard (13-dashboard.json)', () => {
  const dashboard = seedSample('13-dashboard.json');
  const respond = answerTo('GET', `${ORG}/reports/dashboard`);

  it('matches the getDashboardStats 200 schema', () => {
    expect(respond(dashboard)).not.toThrow();
  });

  it('has total = pending + approved + declined, with completed a subset of approved', () => {
    const counts = (dashboard as { data: { prescriptions: Record<string, number> } }).data.prescriptions;
    expect(counts.total).toBe((counts.pending ?? 0) + (counts.approved ?? 0) + (counts.declined ?? 0));
    expect(counts.completed).toBeLessThanOrEqual(counts.approved ?? 0);
  });

  itRejects(respond, dashboard, [
    ['revenue sent as a string', ['data', 'monthly_trends', 0, 'revenue'], '1207.15', /revenue must be number/],
    ['a month that is not YYYY-MM', ['data', 'monthly_trends', 0, 'month'], 'June 2026', /month must match pattern/],
  ]);

  it('rejects the dashboard unwrapped from data', () => {
    expect(respond((dashboard as { data: unknown }).data)).toThrow(/must have required property 'data'/);
  });
});

describe('§8 external order body (08-external-order-body.json)', () => {
  const body = seedSample('08-external-order-body.json');
  const submit =
    (value: unknown, path = '/shops/shop1/api/v1/external-order') =>
    () =>
      expectRequestContract({ method: 'POST', path, body: value });

  it('matches the submitExternalOrder request schema, under the sandbox prefix and bare', () => {
    expect(submit(body)).not.toThrow();
    expect(submit(body, '/api/v1/external-order')).not.toThrow();
  });

  it('with a shop_id added is a valid §6 and §7 body, which share it', () => {
    const withShop = { shop_id: 'shop1', ...(body as object) };
    expect(submit(withShop, `${ORG}/order-requests`)).not.toThrow();
    expect(submit(withShop, '/api/v1/public/orgs/org1/order-requests')).not.toThrow();
  });

  it('is not a valid §7 body without shop_id', () => {
    expect(submit(body, '/api/v1/public/orgs/org1/order-requests')).toThrow(/must have required property 'shop_id'/);
  });

  itRejects(submit, body, [
    ['a quantity sent as a string', ['payload', 'items', 0, 'quantity'], '5', /quantity must be integer/],
    ['an order with no items', ['payload', 'items'], [], /items must NOT have fewer than 1 items/],
  ]);
});

describe('smoke-test external order body (smoke-test-external-order-body.json)', () => {
  const body = seedSample('smoke-test-external-order-body.json');
  const submit = (value: unknown) => () =>
    expectRequestContract({ method: 'POST', path: '/shops/shop1/api/v1/external-order', body: value });

  it('matches the submitExternalOrder request schema with payload alone', () => {
    expect(submit(body)).not.toThrow();
  });

  itRejects(submit, body, [
    ['a payload without customer_name', ['payload', 'customer_name'], REMOVE, /must have required property 'customer_name'/],
  ]);

  it('rejects a body without payload', () => {
    expect(submit({})).toThrow(/must have required property 'payload'/);
  });
});

describe('contract checker', () => {
  const error = { error: 'rate_limited', message: 'Slow down' };

  it('throws for a path the contract does not document', () => {
    expect(() => expectContract({ method: 'GET', path: `${ORG}/customers`, status: 200, body: {} })).toThrow(/matches no documented path/);
  });

  it('throws for a status the operation does not document', () => {
    expect(() => expectContract({ method: 'GET', path: `${ORG}/shops`, status: 404, body: error })).toThrow(/status not documented/);
  });

  it('accepts 405 with an Allow header for a method the path does not document, and nothing else', () => {
    const exchange = { method: 'DELETE', path: `${ORG}/orders/ORD_x`, body: { error: 'method_not_allowed', message: 'no' } };
    expect(() => expectContract({ ...exchange, status: 405, headers: { allow: 'GET' } })).not.toThrow();
    expect(() => expectContract({ ...exchange, status: 405, headers: {} })).toThrow(/requires header Allow/);
    expect(() => expectContract({ ...exchange, status: 204 })).toThrow(/only 405 is allowed/);
  });

  it('requires a numeric Retry-After on 429 when headers are given', () => {
    const exchange = { method: 'GET', path: `${ORG}/orders`, status: 429, body: error };
    expect(() => expectContract({ ...exchange, headers: { 'Retry-After': '2' } })).not.toThrow();
    expect(() => expectContract({ ...exchange, headers: {} })).toThrow(/requires header Retry-After/);
    expect(() => expectContract({ ...exchange, headers: { 'retry-after': 'soon' } })).toThrow(/header Retry-After/);
  });

  it('matches a 5xx status against the 5XX range', () => {
    expect(() => expectContract({ method: 'GET', path: `${ORG}/inventory`, status: 503, body: error })).not.toThrow();
  });

  it('checks Kong bodies on the v1 route and Manager bodies elsewhere', () => {
    const kong = { message: 'No API key found in request' };
    expect(() =>
      expectContract({ method: 'POST', path: '/api/v1/public/orgs/org1/order-requests', status: 401, body: kong }),
    ).not.toThrow();
    expect(() => expectContract({ method: 'GET', path: `${ORG}/orders`, status: 401, body: kong })).toThrow(/required property 'error'/);
  });

  it('requires fields on a 422', () => {
    const exchange = { method: 'POST', path: `${ORG}/prescriptions`, status: 422 };
    expect(() =>
      expectContract({ ...exchange, body: { error: 'validation_failed', message: 'x', fields: ['Patient Name'] } }),
    ).not.toThrow();
    expect(() => expectContract({ ...exchange, body: { error: 'validation_failed', message: 'x' } })).toThrow(/'fields'/);
  });

  it('maps a sandbox shop path and a query string to the documented operation', () => {
    expect(findOperation('post', '/shops/shop2/api/v1/external-order')).toEqual({
      method: 'POST',
      path: '/api/v1/external-order',
      operationId: 'submitExternalOrder',
    });
    expect(findOperation('GET', `${ORG}/orders/ORD_1/status?x=1`)).toBeUndefined();
    expect(findOperation('PATCH', `${ORG}/orders/ORD_1/status?x=1`)?.operationId).toBe('updateOrderStatus');
  });
});
