// @defer in a browser: Apollo Client 4 over HttpLink (Defer20220824Handler) in headless Chromium
// (Debian's chromium driven by playwright-core), the page bundled with esbuild from
// ./fixtures/defer-app.ts and served on the gateway's own origin by the browser's request routing.
// The order-detail calls are held by a proxy until the page has shown the orders without details,
// so the browser's fetch must hand Apollo Client the first part while the answer is still open.
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleBrowserApp } from '../support/browser-bundle.ts';
import { launchChromium } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { must } from '../support/must.ts';

/** Only turns a hang into a failure: every wait below is for a condition. */
const HANG = 30_000;

let holding = false;
let upstream: HeldUpstream | undefined;
const stack = stackFixture({
  upstreamVia: async (sandboxUrl) => {
    upstream = await startHeldUpstream(sandboxUrl, (path) => holding && /\/orders\/ORD_/.test(path));
    return upstream.url;
  },
});

let script: Buffer;
let browser: RunningChromium;

beforeAll(async () => {
  script = await bundleBrowserApp(resolve(import.meta.dirname, 'fixtures/defer-app.ts'));
  browser = await launchChromium('defer-chromium-');
}, 4 * HANG);
afterAll(async () => {
  await browser?.close();
  await upstream?.close();
});

type AppState = { emissions: Array<{ dataState: string; orders: number; withDetails: number }>; error?: string };

it(
  'Apollo Client in Chromium shows the orders while their details are held, then every order with its details',
  async () => {
    const held = must(upstream, 'the held upstream');
    await stack.gql('{ org(id: "org1") { id } }');
    const origin = new URL(stack.gateway.url).origin;
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    // The page and its script on the gateway's origin, answered by the browser's routing; /graphql is the real gateway.
    await page.route(
      (url) => url.origin === origin && url.pathname === '/defer-app',
      (route) =>
        route.fulfill({
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="/defer-app.js"></script></body></html>',
        }),
    );
    await page.route(
      (url) => url.origin === origin && url.pathname === '/defer-app.js',
      (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: script }),
    );
    holding = true;
    try {
      await page.goto(`${origin}/defer-app?gateway=${encodeURIComponent(stack.gateway.url)}&apikey=${ORG1_KEY}`);
      const state = () => page.evaluate(() => (window as unknown as { deferApp?: AppState }).deferApp);
      await page.waitForFunction(
        () => {
          const shown = (window as unknown as { deferApp?: AppState }).deferApp;
          return Boolean(shown?.emissions.length || shown?.error);
        },
        undefined,
        { timeout: HANG },
      );
      let seen = await state();
      expect(problems).toEqual([]);
      expect(seen?.error).toBeUndefined();
      expect(seen?.emissions[0]).toEqual({ dataState: 'streaming', orders: 3, withDetails: 0 });
      await held.whenHeld(3);
      holding = false;
      held.release();
      await page.waitForFunction(
        () => {
          const shown = (window as unknown as { deferApp?: AppState }).deferApp;
          return shown?.emissions.at(-1)?.dataState === 'complete' || Boolean(shown?.error);
        },
        undefined,
        { timeout: HANG },
      );
      seen = await state();
      expect(seen?.error).toBeUndefined();
      expect(seen?.emissions.at(-1)).toEqual({ dataState: 'complete', orders: 3, withDetails: 3 });
      expect(problems).toEqual([]);
    } finally {
      holding = false;
      held.release();
      await page.close();
    }
  },
  4 * HANG,
);
