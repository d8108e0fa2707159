// Driving the GraphiQL playground in Chromium the way a person does: tabs by their names, ▶,
// the editors' text, the results view's buttons. Every wait is for a condition on the page.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** The page parses megabytes of script and starts Monaco's workers: allow for a busy machine. */
export const UI = { timeout: 20_000, interval: 100 };

export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');

export function exampleSource(name: string): string {
  return readFileSync(resolve(import.meta.dirname, `../../examples/operations/${name}.graphql`), 'utf8');
}

/** Opens the playground with GraphiQL's default tabs (a page of a reused profile would restore the last one's). */
export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.addInitScript({ content: 'localStorage.clear();' });
  await page.goto(url);
  await expect.poll(() => page.locator('.graphiql-tab').count(), UI).toBeGreaterThan(0);
}

/**
 * Opens the example tab `name` and waits until its operation is in the query editor: the tab's
 * label switches first, and ▶ pressed before the editor follows would run the previous tab's
 * operation (an OrderBoard subscription again, say).
 */
export async function selectTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: name }).click();
  await expect.poll(() => page.locator('.graphiql-tab-active').innerText(), UI).toBe(name);
  await expect.poll(() => editorText(page.locator('.graphiql-query-editor')), UI).toContain(name);
}

/** Monaco renders spaces as U+00A0; this is the text as typed. */
export async function editorText(editor: Locator): Promise<string> {
  return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

export async function responseText(page: Page): Promise<string> {
  return (await editorText(page.locator('.result-window'))).replace(/\s+/g, ' ');
}

/** Replaces the variables editor's content (shown first, in place of the headers editor). */
export async function setVariables(page: Page, variables: Record<string, unknown>): Promise<void> {
  await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor').first();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(JSON.stringify(variables));
  // Monaco closes the brackets and quotes it sees typed; what it added sits after the cursor.
  await page.keyboard.press('Shift+ControlOrMeta+End');
  await page.keyboard.press('Delete');
  await expect.poll(async () => JSON.parse(await editorText(editor)), UI).toEqual(variables);
}

export async function run(page: Page): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
}

export function resultsView(page: Page): Locator {
  return page.getByRole('region', { name: 'Results view' });
}

/** The table's body cells, row by row, as shown. */
export async function tableRows(page: Page): Promise<string[][]> {
  return resultsView(page)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
}

export async function tableHeaders(page: Page): Promise<string[]> {
  return resultsView(page)
    .locator('thead th')
    .evaluateAll((cells) => cells.map((cell) => cell.textContent ?? ''));
}
