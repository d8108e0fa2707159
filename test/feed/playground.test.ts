// The OrderBoard example in the GraphiQL playground, in headless Chromium (Debian's chromium via
// playwright-core, as in test/graphiql/playground.test.ts): the subscription runs over the page's
// WebSocket with the headers editor's demo key, and an order's status change shows in the result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildGraphiql } from '../../scripts/build-graphiql.ts';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { orderInput, SUBMIT_ORDER, UPDATE_STATUS, waitFor } from './feed-clients.ts';
import type { SubmitOrderData, UpdateStatusData } from './feed-clients.ts';

const UI = { timeout: 20_000, interval: 100 };
let stack: TestStack;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  await buildGraphiql();
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
  profile = await mkdtemp(join(tmpdir(), 'graphiql-feed-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
    viewport: { width: 1400, height: 900 },
  });
});
afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await stack?.close();
});

it('shows an order event in the OrderBoard tab after a status change', async () => {
  const created = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
  const orderId = dataOf(created).submitOrderRequest.orderRequest.orderId;
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });

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
