// The results view in headless Chromium (Debian's chromium via playwright-core, as in
// ./playground.test.ts) against a gateway + sandbox: the MonthlyTrends and ProductPerformance
// examples as a table, a chart and a CSV download, checked against the JSON the gateway answers
// the same operation. Screenshots go to test-artifacts/ (not committed).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraphiql } from '../../scripts/build-graphiql.ts';
import { launchChromium, pageProblems } from '../support/chromium.ts';
import type { RunningChromium } from '../support/chromium.ts';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import {
  ARTIFACTS,
  exampleSource,
  openPlayground,
  resultsView,
  run,
  selectTab,
  tableHeaders,
  tableRows,
  UI,
} from '../support/playground-page.ts';

let stack: TestStack;
let browser: RunningChromium;

beforeAll(async () => {
  await buildGraphiql();
  stack = await startStack();
  browser = await launchChromium('graphiql-results-');
  await mkdir(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type Monthly = { org: { reports: { dashboard: { monthlyTrends: Array<{ month: string; orderCount: number; revenue: string }> } } } };
type Products = {
  org: {
    reports: {
      productPerformance: Array<{ name: string; unitsSold: number; revenue: string; product: { price: { amount: string } } | null }>;
    };
  };
};

/** Runs the example's tab and waits for the results view to count `rows` rows. */
async function runExample(page: Page, name: string, rows: number): Promise<void> {
  await openPlayground(page, stack.gateway.url);
  await selectTab(page, name);
  await run(page);
  await expect.poll(() => resultsView(page).getByLabel('Row count').innerText(), UI).toMatch(new RegExp(`^${rows} rows`));
}

async function downloadCsv(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    resultsView(page).getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/** An RFC 4180 reader: CRLF after every record, quoted fields with doubled quotes inside. */
function csvRecords(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    const next = text[i + 1];
    i += 1;
    if (quoted && char === '"' && next === '"') {
      field += '"';
      i += 1;
    } else if (char === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && next === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else {
      field += char;
    }
  }
  return records;
}

describe('MonthlyTrends in the results view', () => {
  it('tabulates one row per month, plots one point per month on labelled axes, and downloads the table as CSV', async () => {
    const months = dataOf(await stack.gql<Monthly>(exampleSource('MonthlyTrends'))).org.reports.dashboard.monthlyTrends;
    expect(months.length).toBeGreaterThan(1);
    const page = await browser.context.newPage();
    const problems = pageProblems(page);
    await runExample(page, 'MonthlyTrends', months.length);
    const view = resultsView(page);

    await view.getByRole('button', { name: 'Table' }).click();
    await expect.poll(() => view.locator('tbody tr').count(), UI).toBe(months.length);
    expect(await tableHeaders(page)).toEqual(['month', 'orderCount', 'revenue']);
    const table = await tableRows(page);
    expect(table).toEqual(months.map((month) => [month.month, String(month.orderCount), month.revenue]));
    await view.screenshot({ path: join(ARTIFACTS, 'results-monthly-table.png') });

    // The CSV is the table: the same header, the same rows, decimals untouched.
    const csv = await downloadCsv(page);
    expect(csv.name).toBe('MonthlyTrends-monthlyTrends.csv');
    expect(csvRecords(csv.text)).toEqual([['month', 'orderCount', 'revenue'], ...table]);

    await view.getByRole('button', { name: 'Chart' }).click();
    const chart = view.getByRole('img');
    await expect.poll(() => chart.getAttribute('aria-label'), UI).toBe(`Line chart of orderCount by month: ${months.length} points`);
    expect(await chart.locator('circle.pharmaone-chart-mark').count()).toBe(months.length);
    expect(await chart.locator('.pharmaone-chart-axis-title').allTextContents()).toEqual(['month', 'orderCount']);
    // Each point's tooltip names its month, in time order.
    const sorted = [...months].sort((a, b) => a.month.localeCompare(b.month));
    expect(await chart.locator('circle.pharmaone-chart-mark title').allTextContents()).toEqual(
      sorted.map((month) => `${month.month}: ${month.orderCount.toLocaleString('en-US')}`),
    );

    // Switched to revenue, the axis is in euros.
    await view.getByRole('combobox').selectOption('revenue');
    await expect.poll(() => chart.getAttribute('aria-label'), UI).toBe(`Line chart of revenue (EUR) by month: ${months.length} points`);
    expect(await chart.locator('.pharmaone-chart-axis-title').allTextContents()).toEqual(['month', 'revenue (EUR)']);
    const ticks = await chart.locator('.pharmaone-chart-tick').allTextContents();
    expect(ticks.filter((tick) => tick.startsWith('€')).length).toBeGreaterThanOrEqual(2);
    await view.screenshot({ path: join(ARTIFACTS, 'results-monthly-chart.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('ProductPerformance in the results view', () => {
  it('draws a bar per product, sorts the table by any column, and writes Money as the exact decimals', async () => {
    const products = dataOf(await stack.gql<Products>(exampleSource('ProductPerformance'))).org.reports.productPerformance;
    expect(products.length).toBeGreaterThan(1);
    const page = await browser.context.newPage();
    const problems = pageProblems(page);
    await runExample(page, 'ProductPerformance', products.length);
    const view = resultsView(page);

    await view.getByRole('button', { name: 'Chart' }).click();
    const chart = view.getByRole('img');
    await expect.poll(() => chart.getAttribute('aria-label'), UI).toBe(`Bar chart of unitsSold by name: ${products.length} bars`);
    expect(await chart.locator('rect.pharmaone-chart-mark').count()).toBe(products.length);
    expect(await chart.locator('.pharmaone-chart-axis-title').allTextContents()).toEqual(['unitsSold', 'name']);
    await view.getByRole('combobox').selectOption('revenue');
    await expect.poll(() => chart.getAttribute('aria-label'), UI).toBe(`Bar chart of revenue (EUR) by name: ${products.length} bars`);
    // The tooltips are currency, from the exact strings.
    expect(await chart.locator('rect.pharmaone-chart-mark title').allTextContents()).toEqual(
      products.map(
        (p) => `${p.name}: ${new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(p.revenue as `${number}`)}`,
      ),
    );
    await view.screenshot({ path: join(ARTIFACTS, 'results-products-chart.png') });

    await view.getByRole('button', { name: 'Table' }).click();
    const headers = await tableHeaders(page);
    expect(headers).toEqual(['p1Id', 'name', 'unitsSold', 'orderCount', 'revenue', 'product.category', 'product.price.amount']);
    const column = (rows: string[][], key: string) => rows.map((row) => row[headers.indexOf(key)] ?? '');
    const revenueHeader = view.getByRole('columnheader', { name: 'revenue' });
    await revenueHeader.getByRole('button').click();
    await expect.poll(() => revenueHeader.getAttribute('aria-sort'), UI).toBe('ascending');
    const ascending = [...products.map((p) => p.revenue)].sort((a, b) => Number(a) - Number(b));
    expect(column(await tableRows(page), 'revenue')).toEqual(ascending);
    await revenueHeader.getByRole('button').click();
    await expect.poll(() => revenueHeader.getAttribute('aria-sort'), UI).toBe('descending');
    expect(column(await tableRows(page), 'revenue')).toEqual([...ascending].reverse());
    const nameHeader = view.getByRole('columnheader', { name: 'name' });
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort'), UI).toBe('ascending');
    expect(column(await tableRows(page), 'name')).toEqual(
      products.map((p) => p.name).sort(new Intl.Collator('en-US', { numeric: true }).compare),
    );
    await view.screenshot({ path: join(ARTIFACTS, 'results-products-table.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'results-products-page.png') });

    // The CSV holds the table in its current order, Money and Decimal as the graph's strings.
    const records = csvRecords((await downloadCsv(page)).text);
    expect(records[0]).toEqual(headers);
    expect(records.slice(1)).toEqual(await tableRows(page));
    const byName = new Map(products.map((p) => [p.name, p]));
    for (const record of records.slice(1)) {
      const product = byName.get(record[headers.indexOf('name')] ?? '');
      expect(record[headers.indexOf('revenue')]).toBe(product?.revenue);
      expect(record[headers.indexOf('product.price.amount')]).toBe(product?.product?.price.amount ?? '');
    }
    expect(products.every((p) => /^\d+\.\d{2}$/.test(p.revenue))).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});
