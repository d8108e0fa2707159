// Turns a GraphQL result into tables: every list of objects in `data` becomes a dataset whose rows
// are the list's items with nested objects flattened to dotted columns (`totalAmount.amount`).
// A list inside a list's items (an order's `items`) is a dataset of its own, over all parents.
// Cells keep the values exactly as the graph returned them: a Decimal stays its string.
import type { FieldFacts } from './field-types.ts';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export type ColumnKind = 'number' | 'time' | 'text' | 'boolean';

export interface Column {
  /** The dotted path inside a row, e.g. `totalAmount.amount`: the header and the CSV header. */
  key: string;
  kind: ColumnKind;
  /** For money: the ISO currency, or the column holding it (a Money's `currency`). */
  currency?: string | { column: string };
}

export interface Dataset {
  /** The response path of the list, list levels marked `[]`, e.g. `org.shop.orders.nodes[].items`. */
  path: string;
  columns: Column[];
  rows: Row[];
}

/** Bounds what the browser tabulates, however large a response is. */
const MAX_ROWS = 10_000;
const MAX_COLUMNS = 200;
const MAX_DEPTH = 32;

const TIME = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every list of objects in `data`, outermost first. */
export function findDatasets(data: unknown, facts: ReadonlyMap<string, FieldFacts> = new Map()): Dataset[] {
  const lists = new Map<string, Record<string, unknown>[]>();
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      const items = value.filter(isObject);
      if (items.length === 0) return;
      const rows = lists.get(path) ?? [];
      lists.set(path, rows);
      for (const item of items) {
        if (rows.length < MAX_ROWS) rows.push(item);
        for (const [key, child] of Object.entries(item)) walk(child, `${path}[].${key}`, depth + 1);
      }
      return;
    }
    if (isObject(value)) for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, depth + 1);
  };
  walk(data, '', 0);
  return [...lists].map(([path, items]) => tabulate(path, items, facts));
}

function tabulate(path: string, items: Record<string, unknown>[], facts: ReadonlyMap<string, FieldFacts>): Dataset {
  const keys: string[] = [];
  const rows = items.map((item) => {
    const row: Row = {};
    flatten(item, '', row, keys, 0);
    return row;
  });
  const listPath = path.replaceAll('[]', '');
  // A nested object that is null in some rows is not a column of its own beside its fields.
  const shown = keys.filter(
    (key) => !(keys.some((other) => other.startsWith(`${key}.`)) && rows.every((row) => (row[key] ?? null) === null)),
  );
  const columns = shown.map((key) => describeColumn(key, rows, facts.get(`${listPath}.${key}`), keys));
  return { path, columns, rows };
}

function flatten(value: Record<string, unknown>, prefix: string, row: Row, keys: string[], depth: number): void {
  for (const [name, child] of Object.entries(value)) {
    const key = `${prefix}${name}`;
    if (isObject(child) && depth < MAX_DEPTH) {
      flatten(child, `${key}.`, row, keys, depth + 1);
      continue;
    }
    if (!keys.includes(key)) {
      if (keys.length >= MAX_COLUMNS) continue;
      keys.push(key);
    }
    // A nested list is its own dataset; in this row it reads as its JSON text.
    row[key] = Array.isArray(child) ? JSON.stringify(child) : isObject(child) ? JSON.stringify(child) : (child as Cell);
  }
}

function describeColumn(key: string, rows: readonly Row[], fact: FieldFacts | undefined, keys: readonly string[]): Column {
  const values = rows.map((row) => row[key]).filter((value) => value !== null && value !== undefined);
  const kind = fact ? kindOfType(fact, values) : kindOfValues(values);
  const column: Column = { key, kind };
  if (kind === 'number' && fact) {
    const currency = moneyCurrency(key, fact, keys);
    if (currency) column.currency = currency;
  }
  return column;
}

function kindOfType(fact: FieldFacts, values: readonly Cell[]): ColumnKind {
  if (fact.type === 'Int' || fact.type === 'Float') return 'number';
  if (fact.type === 'Decimal') return values.every((value) => typeof value === 'string' && DECIMAL.test(value)) ? 'number' : 'text';
  if (fact.type === 'Date' || fact.type === 'DateTime') return 'time';
  if (fact.type === 'Boolean') return 'boolean';
  return kindOfValues(values.filter((value) => typeof value === 'string'));
}

/** Without the schema (or for a String such as a `YYYY-MM` month), the values decide. */
function kindOfValues(values: readonly Cell[]): ColumnKind {
  if (values.length === 0) return 'text';
  if (values.every((value) => typeof value === 'number')) return 'number';
  if (values.every((value) => typeof value === 'boolean')) return 'boolean';
  if (values.every((value) => typeof value === 'string' && TIME.test(value))) return 'time';
  return 'text';
}

/** A Money's `amount` (in its sibling `currency`, else euros), or a Decimal the schema says is in euros. */
function moneyCurrency(key: string, fact: FieldFacts, keys: readonly string[]): Column['currency'] {
  if (fact.parentType === 'Money' && fact.field === 'amount') {
    const sibling = key.replace(/amount$/, 'currency');
    return keys.includes(sibling) ? { column: sibling } : 'EUR';
  }
  if (fact.type === 'Decimal' && /\bin euros\b/i.test(fact.description)) return 'EUR';
  return undefined;
}

/** Numeric value of a number cell (a Decimal string parses here, for sorting and plotting only). */
export function numeric(cell: Cell | undefined): number | null {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'string' && DECIMAL.test(cell)) return Number(cell);
  return null;
}

export type SortDirection = 'ascending' | 'descending';

/** A sorted copy: numbers by value, the rest as text in the reader's locale; empty cells last either way. */
export function sortRows(rows: readonly Row[], column: Column, direction: SortDirection): Row[] {
  const sign = direction === 'ascending' ? 1 : -1;
  const compare = column.kind === 'number' ? (a: Cell, b: Cell) => (numeric(a) ?? 0) - (numeric(b) ?? 0) : compareText;
  return [...rows].sort((left, right) => {
    const a = left[column.key] ?? null;
    const b = right[column.key] ?? null;
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    return sign * compare(a, b);
  });
}

const collator = new Intl.Collator(undefined, { numeric: true });
function compareText(a: Cell, b: Cell): number {
  return collator.compare(String(a), String(b));
}
