// The live order board in the GraphiQL playground, in headless Chromium (Debian's chromium via
// playwright-core, as in test/graphiql/playground.test.ts): ▶ on the OrderBoard tab starts the
// subscription over the page's WebSocket with the headers editor's demo key, and the board under
// the editors files each event. Orders are changed the way a person would: the ChangeOrderStatus
// tab for status changes, a new order submitted to the sandbox. The gateway polls every 200 ms.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildGraphiql } from '../../scripts/build-graphiql.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { ARTIFACTS, openPlayground, responseText, resultsView, run, selectTab, setVariables, UI } from '../support/playground-page.ts';
import { orderInput, SUBMIT_ORDER, waitFor } from './feed-clients.ts';
import type { SubmitOrderData } from './feed-clients.ts';

/** The pending sandbox order the ChangeOrderStatus example's variables name. */
const PENDING_ORDER = 'ORD_20260613_LmOSX158ce';

let stack: TestStack;
let browser: RunningChromium;

beforeAll(async () => {
  await buildGraphiql();
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
  browser = await launchChromium('graphiql-feed-');
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** The order ids on the board's column for `status`, newest first. */
function column(page: Page, status: string): Promise<string[]> {
  return page
    .getByRole('region', { name: 'Order board' })
    .getByRole('list', { name: `${status} orders` })
    .locator('li')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-order-id') ?? ''));
}

async function runChangeOrderStatus(page: Page, orderId: string, status: string): Promise<void> {
  await selectTab(page, 'ChangeOrderStatus');
  await setVariables(page, { orgId: 'org1', orderId, status });
  await run(page);
  await expect.poll(() => responseText(page), UI).toContain(`"status": "${status}"`);
  expect(await responseText(page)).toContain('"userErrors": []');
}

it('files new orders and status changes on the board while other tabs run', async () => {
  const page = await browser.context.newPage();
  const problems = pageProblems(page);
  await openPlayground(page, stack.gateway.url);
  await selectTab(page, 'OrderBoard');
  await run(page);
  const board = page.getByRole('region', { name: 'Order board' });
  await expect.poll(() => board.getByRole('status').innerText(), UI).toMatch(/^Live/);
  expect(await responseText(page)).toContain('"orderBoard": "Live on the Order board');
  await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the playground subscription', UI.timeout);
  const baseline = stack.gateway.feedStats().polls + 2;
  await waitFor(() => stack.gateway.feedStats().polls >= baseline, 'the baseline poll', UI.timeout);

  // Another tab's query runs (▶ does not stop the board), and the board keeps listening.
  await selectTab(page, 'MonthlyTrends');
  await run(page);
  await expect.poll(() => resultsView(page).getByLabel('Row count').innerText(), UI).toMatch(/^\d+ rows/);
  expect(stack.gateway.feedStats().subscribers).toBe(1);

  // A new order, submitted to the sandbox: its card appears under PENDING.
  const created = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
  const newOrder = dataOf(created).submitOrderRequest.orderRequest.orderId;
  await expect.poll(() => column(page, 'PENDING'), UI).toEqual([newOrder]);

  // The example's own variables: the pending sandbox order moves on, and its card appears in its new column.
  await selectTab(page, 'ChangeOrderStatus');
  await run(page);
  await expect.poll(() => responseText(page), UI).toContain(`"id": "${PENDING_ORDER}"`);
  await expect.poll(() => column(page, 'AWAITING_PACKING'), UI).toEqual([PENDING_ORDER]);

  // The new order, moved with the same tab: its card leaves PENDING for AWAITING_PACKING.
  await runChangeOrderStatus(page, newOrder, 'AWAITING_PACKING');
  await expect.poll(() => column(page, 'AWAITING_PACKING'), UI).toEqual([newOrder, PENDING_ORDER]);
  expect(await column(page, 'PENDING')).toEqual([]);

  const events = board.getByRole('region', { name: 'Last events' }).locator('li');
  const lines = (await events.allInnerTexts()).map((line) => line.replace(/^\S+\s+/, ''));
  expect(lines).toEqual([
    `STATUS_CHANGED ${newOrder} PENDING → AWAITING_PACKING`,
    `STATUS_CHANGED ${PENDING_ORDER} PENDING → AWAITING_PACKING`,
    `CREATED ${newOrder} PENDING`,
  ]);
  const total = dataOf(
    await stack.gql<{ org: { order: { totalAmount: { amount: string } } } }>(
      'query($id: ID!) { org(id: "org1") { order(id: $id) { totalAmount { amount } } } }',
      { id: newOrder },
    ),
  ).org.order.totalAmount.amount;
  const card = board.locator(`li[data-order-id="${newOrder}"]`);
  expect((await card.innerText()).split('\n')).toEqual([newOrder, 'Feed Test', `€${total}`, 'Demo Shop DEV']);
  expect(stack.gateway.feedStats().subscribers).toBe(1);
  await page.screenshot({ path: join(ARTIFACTS, 'order-board.png') });

  // Stop ends the board's subscription at the gateway.
  await board.getByRole('button', { name: 'Stop' }).click();
  await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'the board to unsubscribe', UI.timeout);
  expect(await board.getByRole('status').innerText()).toBe('Stopped');
  expect(problems).toEqual([]);
  await page.close();
});
