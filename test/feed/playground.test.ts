// The OrderBoard example in the GraphiQL playground, in headless Chromium (Debian's chromium via
// playwright-core, as in test/graphiql/playground.test.ts): the subscription runs over the page's
// WebSocket with the headers editor's demo key, and an order's status change shows in the result.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildGraphiql } from '../../scripts/build-graphiql.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { orderInput, SUBMIT_ORDER, UPDATE_STATUS, waitFor } from './feed-clients.ts';
import type { SubmitOrderData, UpdateStatusData } from './feed-clients.ts';

const UI = { timeout: 20_000, interval: 100 };
let stack: TestStack;
let browser: RunningChromium;

beforeAll(async () => {
  await buildGraphiql();
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
  browser = await launchChromium('graphiql-feed-');
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it('shows an order event in the OrderBoard tab after a status change', async () => {
  const created = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
  const orderId = dataOf(created).submitOrderRequest.orderRequest.orderId;
  const page = await browser.context.newPage();
  const problems = pageProblems(page);

  await page.goto(stack.gateway.url);
  const tab = page.locator('.graphiql-tab', { hasText: 'OrderBoard' });
  await expect.poll(() => tab.count(), UI).toBe(1);
  await tab.click();
  await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), UI).toBe('OrderBoard');
  await page.locator('.graphiql-execute-button').click();
  await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the playground subscription', 20_000);
  const target = stack.gateway.feedStats().polls + 2;
  await waitFor(() => stack.gateway.feedStats().polls >= target, 'the baseline poll');

  const res = await stack.gql<UpdateStatusData>(UPDATE_STATUS, { input: { orgId: 'org1', orderId, status: 'AWAITING_PACKING' } });
  expect(dataOf(res).updateOrderStatus.userErrors).toEqual([]);
  const result = page.locator('.result-window');
  await expect.poll(async () => (await result.innerText()).replace(/\s+/g, ' '), UI).toContain(`"id": "${orderId}"`);
  const text = (await result.innerText()).replace(/\s+/g, ' ');
  expect(text).toContain('"type": "STATUS_CHANGED"');
  expect(text).toContain('"previousStatus": "PENDING"');
  expect(text).toContain('"name": "Demo Shop DEV"');
  expect(problems).toEqual([]);
  await page.close();
});
