// A dataset as RFC 4180 CSV: a header row of the dotted column names, CRLF line ends, a field
// quoted when it holds a comma, a quote, CR or LF, and quotes doubled inside. Values are written
// as the graph returned them: a Decimal is its exact string ("1207.10" stays "1207.10"), never a
// float. The caller encodes the text as UTF-8 (a Blob does).
import type { Column, Dataset } from './datasets.ts';

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start). Customer names and
 * other free text come from whoever placed an order, so such a text cell is written with a leading
 * apostrophe, which spreadsheets show as text. Number columns hold only plain decimals (checked
 * when the column was typed), so a negative amount keeps its minus sign.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(dataset: Pick<Dataset, 'columns' | 'rows'>): string {
  const lines = [dataset.columns.map((column) => field(column.key))];
  for (const row of dataset.rows) lines.push(dataset.columns.map((column) => field(cellText(column, row[column.key] ?? null))));
  return `${lines.map((cells) => cells.join(',')).join('\r\n')}\r\n`;
}

function cellText(column: Column, value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  if (column.kind !== 'number' && typeof value === 'string' && FORMULA_START.test(text)) return `'${text}`;
  return text;
}

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The file name a download gets: the operation and the list, in characters every file system takes. */
export function csvFileName(operationName: string | null | undefined, datasetPath: string): string {
  const list = datasetPath.split('.').at(-1)?.replace('[]', '') ?? 'rows';
  const name = `${operationName || 'result'}-${list}`.replace(/[^\w.-]+/g, '_').slice(0, 100);
  return `${name}.csv`;
}
