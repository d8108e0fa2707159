// Issue 10, class 2: every store that outlives a request is keyed by the whole authorization
// context. Two BFF tokens with the same issuer and subject but different org grants never share a
// response-cache entry nor an idempotency outcome, and each sends PharmaOne its own Idempotency-Key.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bffScopeId, passThroughScopeId } from '../../src/auth/caller.ts';
import { asSignedIn, startIdentityProvider } from '../support/bff.ts';
import type { IdentityProvider } from '../support/bff.ts';
import { dataOf, restCalls, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

type SubmitData = { submitOrderRequest: { orderRequest: { id: string } | null } };

let idp: IdentityProvider;
let stack: TestStack;

beforeAll(async () => {
  idp = await startIdentityProvider();
  stack = await startStack({ env: { ...idp.gatewayEnv('jwks'), RESPONSE_CACHE_MB: '16' } });
});
afterAll(async () => {
  await stack.close();
  await idp.close();
});
beforeEach(() => stack.sandbox.calls.clear());

/** One subject ("user-42" of one issuer); only the org grants differ between tokens. */
async function tokenGranting(orgs: string[]): Promise<{ apikey: null; headers: Record<string, string> }> {
  return asSignedIn(await idp.signIn({ orgs }));
}

const SUBMIT = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { id orderId } userErrors { code } }
}`;
const orderInput = (idempotencyKey: string) => ({
  orgId: 'org1',
  shopId: 'shop1',
  customer: { name: 'Max Mustermann', email: 'max@example.com' },
  items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
  idempotencyKey,
});
const orderWrites = () => stack.sandbox.calls.list({ route: 'POST /api/v2/public/orgs/{org}/order-requests' });

describe('the authorization scope id', () => {
  it.each<[string, string, string]>([
    ['the grants differ', bffScopeId('iss', 'sub', ['org1']), bffScopeId('iss', 'sub', ['org1', 'org2'])],
    ['the subject differs', bffScopeId('iss', 'a', ['org1']), bffScopeId('iss', 'b', ['org1'])],
    ['the issuer differs', bffScopeId('i1', 'sub', ['org1']), bffScopeId('i2', 'sub', ['org1'])],
    ['parts shift between fields', bffScopeId('iss', 'sub\norg1', []), bffScopeId('iss', 'sub', ['org1'])],
    ['pass-through keys differ', passThroughScopeId('key-a'), passThroughScopeId('key-b')],
  ])('differs when %s', (_, one, other) => {
    expect(one).not.toBe(other);
  });

  it('does not depend on the order or repetition of grants', () => {
    expect(bffScopeId('iss', 'sub', ['org2', 'org1', 'org2'])).toBe(bffScopeId('iss', 'sub', ['org1', 'org2']));
  });
});

describe('one subject, different grants', () => {
  it('never serves a cached response to a token with other grants', async () => {
    const query = '{ org(id: "org1") { shops { id name } } }';
    const both = await tokenGranting(['org1', 'org2']);
    const onlyOrg2 = await tokenGranting(['org2']);

    const first = await stack.gql<{ org: { shops: unknown[] } | null }>(query, undefined, both);
    const cached = await stack.gql(query, undefined, both);
    const other = await stack.gql<{ org: unknown }>(query, undefined, onlyOrg2);

    expect(dataOf(first).org?.shops).toHaveLength(2);
    expect(cached.body).toEqual(first.body);
    // The org2-only token asking for org1 is refused, not handed the org1 token's cached answer.
    expect(dataOf(other).org).toBeNull();
    expect(other.body.errors).toEqual([expect.objectContaining({ path: ['org'], extensions: { code: 'FORBIDDEN' } })]);
    expect(restCalls(stack.sandbox).filter((call) => call !== 'POST /auth/token')).toEqual(['GET /shops']);
  });

  it('keeps cached responses apart when both tokens may read the org (each computes its own)', async () => {
    const query = '{ org(id: "org1") { shops { id url } } }';
    await stack.gql(query, undefined, await tokenGranting(['org1']));
    await stack.gql(query, undefined, await tokenGranting(['org1', 'org2']));
    expect(restCalls(stack.sandbox).filter((call) => call !== 'POST /auth/token')).toEqual(['GET /shops', 'GET /shops']);
  });

  it('never replays another grant set’s idempotency outcome: a token without the org is refused with 0 writes', async () => {
    const key = randomUUID();
    const owner = await stack.gql<SubmitData>(SUBMIT, { input: orderInput(key) }, await tokenGranting(['org1']));
    const stranger = await stack.gql(SUBMIT, { input: orderInput(key) }, await tokenGranting(['org2']));

    expect(dataOf(owner).submitOrderRequest.orderRequest?.id).toMatch(/^REQ_/);
    // Refused for the org it lacks (the shop check fails before any write), not handed the owner's outcome.
    expect(stranger.body.data).toBeNull();
    expect(stranger.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    expect(orderWrites()).toHaveLength(1);
  });

  it('runs the same key and input of another grant set as its own write, under its own upstream Idempotency-Key', async () => {
    const key = randomUUID();
    const narrow = await tokenGranting(['org1']);
    const wide = await tokenGranting(['org1', 'org2']);

    const first = await stack.gql<SubmitData>(SUBMIT, { input: orderInput(key) }, narrow);
    const replay = await stack.gql<SubmitData>(SUBMIT, { input: orderInput(key) }, narrow);
    const second = await stack.gql<SubmitData>(SUBMIT, { input: orderInput(key) }, wide);

    expect(dataOf(replay).submitOrderRequest).toEqual(dataOf(first).submitOrderRequest);
    expect(dataOf(second).submitOrderRequest.orderRequest?.id).not.toBe(dataOf(first).submitOrderRequest.orderRequest?.id);
    const sentKeys = orderWrites().map((call) => call.idempotencyKey);
    expect(sentKeys).toHaveLength(2);
    expect(new Set(sentKeys).size).toBe(2);
    expect(sentKeys).not.toContain(key);
  });
});
