// A browser app on another origin, in headless Chromium (Debian's chromium driven by playwright-core;
// never a downloaded browser): the page in ./fixtures/cross-origin-app.ts, bundled with esbuild and
// served from its own port (so its own origin), runs Apollo Client's HttpLink, BatchHttpLink and
// GraphQLWsLink against a gateway. A gateway whose CORS_ORIGINS lists the page's origin serves it
// all; one that does not is refused by the browser itself, and refuses the page's WebSocket.
// The same rules over raw HTTP: test/hardening/cors.test.ts.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowserApp } from '../support/browser-bundle.ts';
import { launchChromium } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { dataOf, ORG1_KEY, stackFixture } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { waitFor } from '../feed/feed-clients.ts';
import type { AppResults } from './fixtures/app-results.ts';

/** Only turns a hang into a failure: every wait below is for a condition, on a machine that may be busy. */
const HANG = 30_000;
/** Room for several waits, so that a hang fails at the wait that names it, not as the test's timeout. */
const TEST = { timeout: 4 * HANG };
const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>cross-origin app</title></head>' +
  '<body><pre id="results"></pre><script type="module" src="/app.js"></script></body></html>';

let pages: Server;
let pageOrigin: string;
let browser: RunningChromium;
let context: BrowserContext;

beforeAll(async () => {
  const script = await bundleBrowserApp(resolve(import.meta.dirname, 'fixtures/cross-origin-app.ts'));
  // The app's own origin: a tiny static server on another port of 127.0.0.1.
  pages = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
    else if (path === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => pages.listen(0, '127.0.0.1', done));
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  browser = await launchChromium('cross-origin-chromium-');
  context = browser.context;
}, 4 * HANG);
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (pages ? pages.close(done) : done(undefined)));
});

/** The app, pointed at this gateway, with every console message and every POST to the gateway recorded. */
async function openApp(stack: TestStack) {
  const page = await context.newPage();
  const messages: Array<{ type: string; text: string }> = [];
  page.on('console', (message) => messages.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => messages.push({ type: 'pageerror', text: error.message }));
  const posts: unknown[] = [];
  page.on('request', (req) => {
    if (req.method() === 'POST' && req.url() === stack.gateway.url) posts.push(req.postDataJSON());
  });
  await page.goto(`${pageOrigin}/?gateway=${encodeURIComponent(stack.gateway.url)}&apikey=${ORG1_KEY}`);
  expect(new URL(page.url()).origin).not.toBe(new URL(stack.gateway.url).origin);
  return { page, messages, posts };
}

async function results(page: Page): Promise<AppResults> {
  return (await page.evaluate('window.crossOriginApp.results')) as AppResults;
}

/** The page's first steps are over: the query and the batch answered or failed, the WebSocket open or closed. */
const SETTLED = 'r.batch !== undefined && (r.connected || r.closeCode !== undefined)';

/** Until the page's results satisfy `condition` (a JavaScript expression over `r`, run in the page). */
async function until(page: Page, condition: string): Promise<void> {
  try {
    await page.waitForFunction(`((r) => ${condition})(window.crossOriginApp?.results ?? { mutations: [], events: [] })`, undefined, {
      timeout: HANG,
    });
  } catch (error) {
    const seen = await page.evaluate('JSON.stringify(window.crossOriginApp?.results)').catch(() => 'nothing');
    throw new Error(`the page never reached ${condition}; its results: ${seen}`, { cause: error });
  }
}

describe('a page on a listed origin (the sandbox default: http://127.0.0.1:*)', () => {
  const stack = stackFixture({ env: { ORDER_FEED_POLL_MS: '200' } });

  /** Until `count` feed polls have started after now. */
  async function polls(count: number): Promise<void> {
    const target = stack.gateway.feedStats().polls + count;
    await waitFor(() => stack.gateway.feedStats().polls >= target, `${count} polls`, HANG);
  }

  it(
    'runs a query over HttpLink, two queries in one BatchHttpLink POST, a keyed mutation and a subscription over GraphQLWsLink',
    TEST,
    async () => {
      const { page, messages, posts } = await openApp(stack);
      await until(page, SETTLED);

      const loaded = await results(page);
      expect(loaded.connected).toBe(true);
      expect(loaded.closeCode).toBeUndefined();
      // What the gateway answers the same selection without a browser (the page's has __typename too).
      const shops = dataOf(
        await stack.gql<{ org: { shops: Array<{ id: string; name: string }> } }>('{ org(id: "org1") { shops { id name } } }'),
      );
      expect(shops.org.shops.length).toBeGreaterThan(0);
      expect(loaded.query?.error).toBeUndefined();
      expect(loaded.query?.data).toMatchObject(shops);
      // Both batched queries answered, and they travelled together: one POST carrying a JSON array.
      expect(loaded.batch).toEqual([{ data: loaded.query?.data }, { data: { org: { __typename: 'Org', id: 'org1' } } }]);
      await waitFor(() => posts.length >= 2, 'the two POSTs in the test', HANG);
      const batches = posts.filter((body) => Array.isArray(body)) as Array<Array<{ operationName: string }>>;
      expect(batches.map((batch) => batch.map((operation) => operation.operationName))).toEqual([['Shops', 'Org']]);
      expect(posts).toHaveLength(2);

      // The subscription is in at the gateway and its feed has a baseline: the next change is news.
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the page as a subscriber', HANG);
      await polls(2);

      // A keyed submission, then its retry with the same key: one order at PharmaOne, one outcome.
      await page.evaluate("window.crossOriginApp.submitOrder('cross-origin-order-1')");
      await page.evaluate("window.crossOriginApp.submitOrder('cross-origin-order-1')");
      const { mutations } = await results(page);
      expect(mutations).toHaveLength(2);
      const [first, retry] = mutations.map((outcome) => {
        expect(outcome.error).toBeUndefined();
        const payload = (outcome.data as { submitOrderRequest: { orderRequest: { orderId: string }; userErrors: unknown[] } })
          .submitOrderRequest;
        expect(payload.userErrors).toEqual([]);
        return payload.orderRequest.orderId;
      });
      expect(first).toMatch(/^ORD_/);
      expect(retry).toBe(first);
      const submissions = stack.sandbox.calls.list({ route: 'POST /api/v2/public/orgs/{org}/order-requests' });
      expect(submissions).toHaveLength(1);
      expect(must(submissions[0], 'the submission').idempotencyKey).not.toBeNull();

      // The order's event reaches the page over its WebSocket, once (the polls after it see the same order).
      await until(page, `r.events.some((e) => e.order.id === ${JSON.stringify(first)})`);
      await polls(2);
      const events = (await results(page)).events.filter((event) => (event as { order: { id: string } }).order.id === first);
      expect(events).toEqual([
        { __typename: 'OrderEvent', type: 'CREATED', previousStatus: null, order: expect.objectContaining({ id: first, shopId: 'shop1' }) },
      ]);
      expect((await results(page)).subscriptionError).toBeUndefined();
      // Four POSTs in all: the query, the batch, the submission and its retry.
      await waitFor(() => posts.length >= 4, 'the mutations in the test', HANG);
      expect(posts).toHaveLength(4);

      expect(messages.filter((message) => message.type === 'error' || message.type === 'pageerror')).toEqual([]);
      await page.close();
      await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'the page to leave the feed', HANG);
    },
  );
});

describe('the same page on an unlisted origin', () => {
  const LISTED = 'https://app.example.com';
  const stack = stackFixture({ env: { CORS_ORIGINS: LISTED, ORDER_FEED_POLL_MS: '200' } });

  it(
    'is refused by the browser (a CORS console error), and its WebSocket is refused at the upgrade; nothing reaches PharmaOne',
    TEST,
    async () => {
      const { page, messages } = await openApp(stack);
      await until(page, SETTLED);
      await until(page, 'r.subscriptionError !== undefined');

      const refused = await results(page);
      // What fetch() reports for a refused cross-origin request: the page learns nothing more.
      expect(refused.query).toEqual({ error: 'Failed to fetch' });
      expect(refused.batch).toEqual([{ error: 'Failed to fetch' }, { error: 'Failed to fetch' }]);
      expect(refused.subscriptionError).toEqual(expect.any(String));
      expect(refused.events).toEqual([]);
      expect(refused.connected).toBe(false);
      // 1006: the socket never opened; the browser hides the handshake's status from the page.
      expect(refused.closeCode).toBe(1006);

      // A keyed mutation fares no better.
      await page.evaluate("window.crossOriginApp.submitOrder('cross-origin-order-2')");
      expect((await results(page)).mutations).toEqual([{ error: 'Failed to fetch' }]);

      // The browser says why in the console (its messages may trail the page's own state).
      const errors = () => messages.filter((message) => message.type === 'error').map((message) => message.text);
      const corsErrors = () => errors().filter((text) => text.includes(`from origin '${pageOrigin}' has been blocked by CORS policy`));
      const wsErrors = () => errors().filter((text) => text.startsWith('WebSocket connection to '));
      await waitFor(() => corsErrors().length >= 3 && wsErrors().length >= 1, 'the console errors', HANG);
      // The HttpLink query, the batch's one POST and the mutation: each refused at its preflight.
      expect(corsErrors()).toHaveLength(3);
      for (const text of corsErrors()) {
        expect(text).toContain(`Access to fetch at '${stack.gateway.url}'`);
        expect(text).toContain("No 'Access-Control-Allow-Origin' header");
      }
      // The upgrade, answered 403 by the gateway (the page itself only sees close code 1006).
      const wsUrl = stack.gateway.url.replace(/^http/, 'ws');
      expect(wsErrors()).toEqual([
        `WebSocket connection to '${wsUrl}' failed: Error during WebSocket handshake: Unexpected response code: 403`,
      ]);

      expect(stack.sandbox.calls.list()).toEqual([]);
      expect(stack.gateway.feedStats().subscribers).toBe(0);
      await page.close();
    },
  );
});
