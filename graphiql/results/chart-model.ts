// What to plot from a dataset, and how its numbers read. A date or month column makes a line
// chart over time; otherwise a label column with numbers makes a bar chart (one bar per row, in
// the result's order, since reports come ranked). Money reads as currency in the reader's locale.
import { numeric } from './datasets.ts';
import type { Cell, Column, Dataset, Row } from './datasets.ts';

export interface ChartSpec {
  kind: 'line' | 'bar';
  /** The time column (line) or the label column (bar). */
  x: Column;
  /** The numeric columns to choose from; the first is shown first. */
  values: Column[];
}

const LABEL_NAMES = /(^|\.)(name|label|title|month|customerName)$/;

export function chartSpec(dataset: Dataset): ChartSpec | null {
  const values = dataset.columns.filter((column) => column.kind === 'number');
  if (values.length === 0 || dataset.rows.length === 0) return null;
  const time = dataset.columns.find((column) => column.kind === 'time');
  if (time) return { kind: 'line', x: time, values };
  const texts = dataset.columns.filter((column) => column.kind === 'text');
  const label = texts.find((column) => LABEL_NAMES.test(column.key)) ?? texts[0];
  return label ? { kind: 'bar', x: label, values } : null;
}

export interface Point {
  /** The label, numbered when it repeats: a React key that follows the row. */
  key: string;
  label: string;
  value: number;
  /** The cell as the graph returned it, for the exact figure in the tooltip. */
  cell: Cell;
  row: Row;
}

/** The rows as points: a line's in time order, a bar's as listed; rows without a number are left out. */
export function chartPoints(spec: ChartSpec, rows: readonly Row[], value: Column): Point[] {
  const points: Point[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const number = numeric(row[value.key]);
    if (number === null || !Number.isFinite(number)) continue;
    const label = String(row[spec.x.key] ?? '—');
    const repeat = (seen.get(label) ?? 0) + 1;
    seen.set(label, repeat);
    points.push({ key: repeat === 1 ? label : `${label} (${repeat})`, label, value: number, cell: row[value.key] ?? null, row });
  }
  if (spec.kind === 'line') points.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return points;
}

/** Round tick values covering [min, max] (and 0), about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const low = Math.min(0, min);
  const high = Math.max(0, max);
  if (high === low) return [low, low + 1];
  const rough = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let tick = Math.floor(low / step) * step; tick <= high + step / 2; tick += step) ticks.push(Number(tick.toPrecision(12)));
  if ((ticks.at(-1) ?? 0) < high) ticks.push(Number(((ticks.at(-1) ?? 0) + step).toPrecision(12)));
  return ticks;
}

function currencyOf(column: Column, row?: Row): string | null {
  if (!column.currency) return null;
  if (typeof column.currency === 'string') return column.currency;
  const code = row?.[column.currency.column];
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) ? code : 'EUR';
}

/** A value as the reader sees it: exact money as currency (from the decimal string, no float), counts grouped. */
export function formatValue(column: Column, cell: Cell, row?: Row): string {
  if (cell === null) return '—';
  const currency = currencyOf(column, row);
  const exact = typeof cell === 'string' ? (cell as `${number}`) : typeof cell === 'number' ? cell : null;
  if (exact === null) return String(cell);
  if (currency) return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(exact);
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 20 }).format(exact);
}

/** An axis tick: short (€1.2K, 12K), in the column's currency when it is money. */
export function formatTick(column: Column, value: number, sample?: Row): string {
  const currency = currencyOf(column, sample);
  return new Intl.NumberFormat(undefined, {
    notation: 'compact',
    maximumFractionDigits: 1,
    ...(currency ? { style: 'currency', currency } : {}),
  }).format(value);
}

/** An axis title: the field name, with the currency for money, e.g. `revenue (EUR)`. */
export function axisTitle(column: Column, sample?: Row): string {
  const currency = currencyOf(column, sample);
  return currency ? `${column.key} (${currency})` : column.key;
}
