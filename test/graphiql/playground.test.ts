// The GraphiQL playground end to end: the page and its bundle over HTTP, then headless Chromium
// (Debian's chromium driven by playwright-core; never a downloaded browser) running the dashboard
// example against a gateway + sandbox. The bundle is built first if it is stale (a few seconds).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kind, parse } from 'graphql';
import type { BrowserContext } from 'playwright-core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphiql } from '../../scripts/build-graphiql.ts';
import { DEMO_API_KEYS } from '../../src/sandbox/api-keys.ts';
import { createPlayground, SANDBOX_DEMO_HEADERS } from '../../src/http/graphiql/playground.ts';
import type { GraphiqlManifest } from '../../src/http/graphiql/assets.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { openPlayground } from '../support/playground-page.ts';

/** The examples' tabs, in the order the playground opens them (the Examples panel lists them alike). */
const EXAMPLE_TABS = [
  'DashboardStats',
  'MonthlyTrends',
  'ProductPerformance',
  'ShopPerformance',
  'NestedOrders',
  'OrderBoard',
  'ChangeOrderStatus',
];

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const OPERATIONS = resolve(import.meta.dirname, '../../examples/operations');
/** The page parses megabytes of script and starts Monaco's workers: allow for a busy machine. */
const UI = { timeout: 15_000, interval: 100 };

let manifest: GraphiqlManifest;
let stack: TestStack;

beforeAll(async () => {
  ({ manifest } = await buildGraphiql());
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

const origin = () => new URL(stack.gateway.url).origin;

describe('the playground over HTTP', () => {
  it('serves the GraphiQL page to a browser at GET /graphql, under a self-only Content-Security-Policy', async () => {
    const page = await get(stack.gateway.url, { accept: BROWSER_ACCEPT });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const html = page.body.toString();
    expect(html).toContain(`<script type="module" src="/graphiql/assets/${manifest.script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/graphiql/assets/${manifest.stylesheet}" />`);
    // Every URL the page names is the gateway's own (the empty icon stops a /favicon.ico request).
    expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, url]) => url)).toEqual([
      'data:,',
      `/graphiql/assets/${manifest.stylesheet}`,
      `/graphiql/assets/${manifest.script}`,
    ]);
  });

  it('pre-fills the headers editor with the sandbox demo key in sandbox mode', async () => {
    expect(DEMO_API_KEYS.map((key) => key.apiKey)).toContain(JSON.parse(SANDBOX_DEMO_HEADERS).apikey);
    const html = (await get(stack.gateway.url, { accept: BROWSER_ACCEPT })).body.toString();
    const settings = JSON.parse(
      must(/<script type="application\/json" id="graphiql-config">(.*?)<\/script>/.exec(html)?.[1], 'the config script'),
    );
    expect(settings).toEqual({ endpoint: '/graphql', headers: SANDBOX_DEMO_HEADERS });
  });

  it('leaves the headers editor empty against a real PharmaOne (PHARMAONE_BASE_URL set)', async () => {
    const real = await startStack({ env: { PHARMAONE_BASE_URL: 'https://manager.pharmaone.example' } });
    try {
      const html = (await get(real.gateway.url, { accept: BROWSER_ACCEPT })).body.toString();
      expect(html).toContain('{"endpoint":"/graphql","headers":""}');
      expect(html).not.toContain('sandbox-org1-key');
    } finally {
      await real.close();
    }
  });

  it('serves every bundle file from /graphiql/assets/, gzipped on request and cacheable for good', async () => {
    for (const file of manifest.files) {
      const asset = await get(`${origin()}/graphiql/assets/${file}`);
      expect(asset.status, file).toBe(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const script = await get(`${origin()}/graphiql/assets/${manifest.script}`, { 'accept-encoding': 'gzip, br' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-encoding']).toBe('gzip');
    expect((await get(`${origin()}/graphiql/assets/manifest.json`)).status).toBe(404);
    expect((await get(`${origin()}/graphiql/assets/../../package.json`)).status).toBe(404);
  });

  it('keeps /graphql the GraphQL endpoint for every request that does not prefer HTML', async () => {
    const query = encodeURIComponent('{ org(id: "org1") { id } }');
    const res = await get(`${stack.gateway.url}?query=${query}`, {
      accept: 'application/graphql-response+json, application/json',
      apikey: 'sandbox-org1-key',
    });
    expect(res.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
    expect(JSON.parse(res.body.toString())).toEqual({ data: { org: { id: 'org1' } } });
    expect((await stack.gql('{ org(id: "org1") { id } }')).body).toEqual({ data: { org: { id: 'org1' } } });
  });

  it('is off with GRAPHIQL_ENABLED=false: browsers get the GraphQL endpoint and no assets exist', async () => {
    const off = await startStack({ env: { GRAPHIQL_ENABLED: 'false' } });
    try {
      const res = await get(off.gateway.url, { accept: BROWSER_ACCEPT });
      expect(res.headers['content-type']).not.toMatch(/text\/html/);
      expect((await get(`${new URL(off.gateway.url).origin}/graphiql/assets/${manifest.script}`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('the playground without a built bundle', () => {
  it('answers browsers with a 503 page on how to build it, warns once, and leaves GraphQL to the endpoint', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'graphiql-missing-'));
    const warnings: string[] = [];
    const playground = await createPlayground({ sandbox: true, distDir: empty, warn: (message) => warnings.push(message) });
    const server = createServer(playground.wrap((_req, res) => void res.end('graphql endpoint')));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const page = await get(url, { accept: BROWSER_ACCEPT });
      expect(page.status).toBe(503);
      expect(page.body.toString()).toContain('npm run build:graphiql');
      expect((await get(url, { accept: 'application/json' })).body.toString()).toBe('graphql endpoint');
      expect(playground.routes).toEqual({});
      expect(warnings).toHaveLength(1);
    } finally {
      server.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('the playground in Chromium', () => {
  let browser: RunningChromium;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium('graphiql-chromium-');
    context = browser.context;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs the dashboard example with the pre-filled demo key and shows the sandbox numbers, reaching nothing but the gateway', async () => {
    const page = await context.newPage();
    // Every request the page and its workers make (data: URLs, the inlined fonts, are not requests).
    const requested = new Set<string>();
    context.on('request', (req) => requested.add(req.url()));
    const problems = pageProblems(page);
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    // A CSP violation is how a CDN reference or an inline script would show up.
    // (Browser code, passed as text: the test's TypeScript knows no DOM.)
    await page.addInitScript({
      content:
        "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
    });

    await page.goto(stack.gateway.url);
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(() => tabs.allInnerTexts(), UI).toEqual(EXAMPLE_TABS);
    await expect.poll(() => page.locator('.graphiql-editor-tool .graphiql-editor').last().innerText(), UI).toContain('sandbox-org1-key');

    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.result-window');
    await expect.poll(async () => (await response.innerText()).replace(/\s+/g, ' '), UI).toContain('"total": 961');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-dashboard.png') });

    const urls = [...requested].map((url) => new URL(url));
    expect(urls.filter((url) => url.hostname !== '127.0.0.1').map(String)).toEqual([]);
    const paths = new Set(urls.map((url) => url.pathname));
    // The page, its script and stylesheet, Monaco's three workers and the GraphQL calls: all from the gateway.
    const assets = (name: string) => `/graphiql/assets/${manifest.files.find((file) => file.startsWith(name))}`;
    for (const path of [
      '/graphql',
      `/graphiql/assets/${manifest.script}`,
      `/graphiql/assets/${manifest.stylesheet}`,
      assets('editor.worker-'),
      assets('json.worker-'),
      assets('graphql.worker-'),
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists every example in the Examples panel by its operation name, with the one-line description from its file', async () => {
    const expected = readdirSync(OPERATIONS)
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => {
        const source = readFileSync(join(OPERATIONS, file), 'utf8');
        const operation = parse(source).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
        return { name: must(operation?.name?.value, file), description: must(/^# (.+)$/m.exec(source)?.[1], `${file}'s comment`) };
      });
    const page = await context.newPage();
    await openPlayground(page, stack.gateway.url);
    await page.getByLabel('Show Examples').click();
    const items = page.locator('.pharmaone-examples li');
    await expect.poll(() => items.count(), UI).toBe(expected.length);
    const shown = await items.evaluateAll((elements) =>
      elements.map((item) => ({
        name: item.querySelector('button')?.textContent ?? '',
        description: item.querySelector('span')?.textContent ?? '',
      })),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect([...shown].sort(byName)).toEqual([...expected].sort(byName));
    // Names come from the operations, never from comment words ("subscription over WebSocket" once named a tab "over").
    expect(shown.map((item) => item.name)).toEqual(EXAMPLE_TABS);
    for (const item of expected) expect(item.description.length, item.name).toBeLessThanOrEqual(100);
    await page.close();
  });

  it('opens ChangeOrderStatus from the Examples panel with its variables naming a pending sandbox order', async () => {
    const page = await context.newPage();
    await openPlayground(page, stack.gateway.url);
    await page.getByLabel('Show Examples').click();
    await page.locator('.pharmaone-examples').getByRole('button', { name: 'ChangeOrderStatus' }).click();
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), UI).toBe('ChangeOrderStatus');
    await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
    const variables = page.locator('.graphiql-editor-tool .graphiql-editor').first().locator('.view-lines');
    await expect.poll(async () => (await variables.innerText()).replace(/\s+/g, ' '), UI).toContain('"orderId": "ORD_20260613_LmOSX158ce"');
    const { orderId } = JSON.parse(readFileSync(join(OPERATIONS, 'ChangeOrderStatus.variables.json'), 'utf8')) as { orderId: string };
    const order = await stack.gql<{ org: { order: { status: string } } }>(
      'query($id: ID!) { org(id: "org1") { order(id: $id) { status } } }',
      {
        id: orderId,
      },
    );
    expect(order.body.data?.org.order.status).toBe('PENDING');
    await page.close();
  });

  it('opens an example from the Examples panel in a new tab, ready to run', async () => {
    const page = await context.newPage();
    // A fresh profile's state: the last page left the Examples panel open, which GraphiQL remembers.
    await openPlayground(page, stack.gateway.url);
    const tabs = page.locator('.graphiql-tab');
    const before = await tabs.count();

    await page.getByLabel('Show Examples').click();
    await page.locator('.pharmaone-examples').getByRole('button', { name: 'ShopPerformance' }).click();
    await expect.poll(() => tabs.count(), UI).toBe(before + 1);
    await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), UI).toBe('ShopPerformance');

    await page.locator('.graphiql-execute-button').click();
    await expect
      .poll(async () => (await page.locator('.result-window').innerText()).replace(/\s+/g, ' '), UI)
      .toContain('"name": "Demo Shop DEV"');
    await page.close();
  });
});
