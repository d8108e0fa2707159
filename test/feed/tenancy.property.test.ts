// Tenancy of the feed under random interleavings (fast-check): writes through the gateway and
// changes at PharmaOne directly, in both orgs, concurrently; subscribers of org1 (two credentials)
// and org2 never receive an order of the other org, and cross-org subscriptions are refused.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { changeStatusInSandbox, connectWs, orderInput, subscribeSse, SUBMIT_ORDER, waitFor } from './feed-clients.ts';
import type { SubmitOrderData } from './feed-clients.ts';
import type { Received } from './feed-clients.ts';

const SHOPS_OF: Record<string, string[]> = { org1: ['shop1', 'shop2'], org2: ['shop3'] };
const WRITER_OF: Record<string, string> = { org1: ORG1_KEY, org2: ORG2_KEY };

let stack: TestStack;
const watchers: Array<{ org: string; received: Received }> = [];
const refused: Received[] = [];
const ordersOf: Record<string, string[]> = { org1: [], org2: [] };
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  // Short-lived tokens: refreshes happen during the runs too.
  stack = await startStack({ sandbox: { tokenLifetimeSeconds: 2 }, env: { ORDER_FEED_POLL_MS: '200' } });
  const org1Ws = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
  const org2Ws = connectWs(stack.gateway.url, { apikey: ORG2_KEY });
  closers.push(
    () => org1Ws.dispose(),
    () => org2Ws.dispose(),
  );
  watchers.push(
    { org: 'org1', received: org1Ws.subscribe({ orgId: 'org1' }) },
    { org: 'org1', received: subscribeSse(stack.gateway.url, { apikey: ORG1_READONLY_KEY }, { orgId: 'org1' }) },
    { org: 'org2', received: org2Ws.subscribe({ orgId: 'org2' }) },
    { org: 'org2', received: subscribeSse(stack.gateway.url, { apikey: ORG2_KEY }, { orgId: 'org2' }) },
  );
  refused.push(org2Ws.subscribe({ orgId: 'org1' }), org1Ws.subscribe({ orgId: 'org2' }));
  await waitFor(() => stack.gateway.feedStats().subscribers === 4, 'four subscribers');
  await waitFor(() => refused.every((r) => r.completed), 'the refusals');
});
afterAll(async () => {
  for (const watcher of watchers) watcher.received.dispose();
  for (const close of closers) await close();
  await stack.close();
});

const action = fc.record({
  org: fc.constantFrom('org1', 'org2'),
  kind: fc.constantFrom('create', 'direct-change'),
  shopPick: fc.nat(),
});

it('never delivers an order of one org to a subscriber of the other, whatever the interleaving', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 2, maxLength: 8 }), async (batch) => {
      await Promise.all(
        batch.map(async ({ org, kind, shopPick }) => {
          const shops = must(SHOPS_OF[org], `the shops of ${org}`);
          const pending = must(ordersOf[org], `the pending orders of ${org}`);
          const writer = must(WRITER_OF[org], `the writing API key of ${org}`);
          if (kind === 'direct-change' && pending.length > 0) {
            const orderId = must(pending.splice(shopPick % pending.length, 1)[0], `a pending order of ${org}`);
            await changeStatusInSandbox(stack.sandbox, org, writer, orderId, 'cancelled');
            return;
          }
          const res = await stack.gql<SubmitOrderData>(
            SUBMIT_ORDER,
            { input: orderInput(org, shops[shopPick % shops.length]) },
            { apikey: writer },
          );
          pending.push(dataOf(res).submitOrderRequest.orderRequest.orderId);
        }),
      );
      // Six polls across the three scopes: two each, so every change has been seen by every scope.
      const target = stack.gateway.feedStats().polls + 6;
      await waitFor(() => stack.gateway.feedStats().polls >= target, 'the polls after the batch');

      for (const { org, received } of watchers) {
        expect(received.errors).toEqual([]);
        for (const event of received.events) expect(SHOPS_OF[org]).toContain(event.order.shopId);
        const cursors = received.events.map((event) => event.cursor);
        expect(new Set(cursors).size).toBe(cursors.length);
      }
      for (const refusal of refused) {
        expect(refusal.events).toEqual([]);
        expect(refusal.errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      }
    }),
    { numRuns: 12 },
  );
  // The property ran on real events in both orgs.
  for (const { received } of watchers) expect(received.events.length).toBeGreaterThan(0);
});
