// The feed in BFF mode: browsers sign in with the identity provider's JWT (in the WebSocket's
// connection_init payload or the SSE request's header). An org the sign-in does not grant is
// refused with no PharmaOne call at all; when the sign-in expires, its subscriptions end with a
// clear UNAUTHENTICATED error.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startIdentityProvider } from '../support/bff.ts';
import type { IdentityProvider } from '../support/bff.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { connectWs, subscribeSse, waitFor } from './feed-clients.ts';

let idp: IdentityProvider;
let stack: TestStack;

beforeAll(async () => {
  idp = await startIdentityProvider();
  stack = await startStack({ env: { ...idp.gatewayEnv('pem'), BFF_JWT_CLOCK_SKEW_SECONDS: '0', ORDER_FEED_POLL_MS: '200' } });
});
afterAll(async () => {
  await stack.close();
  await idp.close();
});

/** Issued now and valid for `lifetimeSeconds` (the gateway allows no clock skew here). */
function signIn(orgs: string[], lifetimeSeconds = 600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return idp.signIn({ orgs, issuedAt: now, expiresAt: now + lifetimeSeconds });
}

it('refuses an org the sign-in does not grant with no PharmaOne call, over WebSocket and SSE', async () => {
  const token = await signIn(['org1']);
  stack.sandbox.calls.clear();
  const connection = connectWs(stack.gateway.url, { Authorization: `Bearer ${token}` });
  const overWs = connection.subscribe({ orgId: 'org2' });
  const overSse = subscribeSse(stack.gateway.url, { authorization: `Bearer ${token}` }, { orgId: 'org2' });
  await waitFor(() => overWs.completed && overSse.completed, 'the refusals');

  for (const refusal of [overWs, overSse]) {
    expect(refusal.events).toEqual([]);
    expect(refusal.errors).toEqual([
      expect.objectContaining({ message: 'This caller may not reach org "org2".', extensions: { code: 'FORBIDDEN' } }),
    ]);
  }
  expect(stack.sandbox.calls.list()).toEqual([]);
  await connection.dispose();
  overSse.dispose();
});

it('ends the subscriptions of an expired sign-in with UNAUTHENTICATED', async () => {
  const connection = connectWs(stack.gateway.url, { Authorization: `Bearer ${await signIn(['org1'], 2)}` });
  const subscriber = connection.subscribe({ orgId: 'org1' });
  await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscriber');
  await waitFor(() => subscriber.completed, 'the end at expiry', 5_000);

  expect(subscriber.errors).toEqual([
    expect.objectContaining({
      message: 'The sign-in token expired: sign in again and subscribe anew.',
      extensions: { code: 'UNAUTHENTICATED' },
    }),
  ]);
  expect(stack.gateway.feedStats().subscribers).toBe(0);
  await connection.dispose();
});

it('refuses a connection without a sign-in with a clear close reason', async () => {
  const connection = connectWs(stack.gateway.url, {});
  connection.subscribe({ orgId: 'org1' });
  const closed = await connection.closed;
  expect(closed).toEqual({ code: 4401, reason: 'Send your sign-in token as "Authorization: Bearer <token>".' });
});
