// The results view's data rules, without a browser: how a result becomes tables (dotted
// columns, kinds from the schema), how rows sort, what the CSV holds, what a chart plots. The
// browser test (./results-view.test.ts) shows the same on the page.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { chartSpec, formatValue, niceTicks } from '../../graphiql/results/chart-model.ts';
import { toCsv } from '../../graphiql/results/csv.ts';
import { findDatasets, sortRows } from '../../graphiql/results/datasets.ts';
import type { Column } from '../../graphiql/results/datasets.ts';
import { fieldFacts } from '../../graphiql/results/field-types.ts';

const schema = buildSchema(readFileSync(resolve(import.meta.dirname, '../../schema.graphql'), 'utf8'));

describe('tables from a result', () => {
  it('offers every list of objects, nested objects as dotted columns, a list inside rows as its own table', () => {
    const data = {
      org: {
        shop: {
          orders: {
            totalCount: 2,
            nodes: [
              { id: 'o1', totalAmount: { amount: '10.50', currency: 'EUR' }, items: [{ name: 'a', quantity: 1 }] },
              {
                id: 'o2',
                totalAmount: null,
                items: [
                  { name: 'b', quantity: 2 },
                  { name: 'c', quantity: 3 },
                ],
              },
            ],
          },
        },
      },
    };
    const [orders, items, ...rest] = findDatasets(data);
    expect(rest).toEqual([]);
    expect(orders?.path).toBe('org.shop.orders.nodes');
    expect(orders?.columns.map((column) => column.key)).toEqual(['id', 'totalAmount.amount', 'totalAmount.currency', 'items']);
    expect(orders?.rows[0]).toMatchObject({ 'totalAmount.amount': '10.50', items: '[{"name":"a","quantity":1}]' });
    // The order without a total has empty total cells, not a `totalAmount` column of its own.
    expect(orders && toCsv(orders).split('\r\n')[2]).toBe('o2,,,"[{""name"":""b"",""quantity"":2},{""name"":""c"",""quantity"":3}]"');
    expect(items?.path).toBe('org.shop.orders.nodes[].items');
    expect(items?.rows).toEqual([
      { name: 'a', quantity: 1 },
      { name: 'b', quantity: 2 },
      { name: 'c', quantity: 3 },
    ]);
  });

  it.each([
    ['no data', undefined],
    ['a scalar', 5],
    ['a list of scalars', { ids: ['a', 'b'] }],
    ['an empty list', { nodes: [] }],
    ['a list of nulls', { nodes: [null, null] }],
  ])('offers no table for %s', (_name, data) => {
    expect(findDatasets(data)).toEqual([]);
  });

  it('types columns from the schema: Decimal strings are numbers, a Money amount and a Decimal "in euros" are currency', () => {
    const query = `query { org(id: "org1") {
      reports { dashboard { monthlyTrends { month orderCount revenue } } }
      shop(id: "shop1") { orders { nodes { id createdAt paid: totalAmount { amount currency } } } }
    } }`;
    const facts = fieldFacts(schema, query);
    const data = {
      org: {
        reports: { dashboard: { monthlyTrends: [{ month: '2026-01', orderCount: 3, revenue: '12.30' }] } },
        shop: { orders: { nodes: [{ id: 'ORD_1', createdAt: '2026-01-02T03:04:05Z', paid: { amount: '-1.00', currency: 'CHF' } }] } },
      },
    };
    const kinds = findDatasets(data, facts).map((dataset) => dataset.columns);
    expect(kinds).toEqual([
      [
        { key: 'month', kind: 'time' },
        { key: 'orderCount', kind: 'number' },
        { key: 'revenue', kind: 'number', currency: 'EUR' },
      ],
      [
        { key: 'id', kind: 'text' },
        { key: 'createdAt', kind: 'time' },
        { key: 'paid.amount', kind: 'number', currency: { column: 'paid.currency' } },
        { key: 'paid.currency', kind: 'text' },
      ],
    ]);
  });

  it('bounds the rows it keeps, whatever the response size', () => {
    const [dataset] = findDatasets({ nodes: Array.from({ length: 10_050 }, (_, i) => ({ i })) });
    expect(dataset?.rows).toHaveLength(10_000);
  });
});

describe('sorting', () => {
  const rows = [{ v: '10.00' }, { v: null }, { v: '9.50' }, { v: '-1.00' }];
  it.each([
    ['ascending', ['-1.00', '9.50', '10.00', null]],
    ['descending', ['10.00', '9.50', '-1.00', null]],
  ] as const)('sorts Decimal strings by value, %s, with empty cells last', (direction, expected) => {
    const column: Column = { key: 'v', kind: 'number' };
    expect(sortRows(rows, column, direction).map((row) => row.v)).toEqual(expected);
  });

  it('sorts text in natural order (item 2 before item 10)', () => {
    const column: Column = { key: 'v', kind: 'text' };
    expect(sortRows([{ v: 'item 10' }, { v: 'item 2' }], column, 'ascending').map((row) => row.v)).toEqual(['item 2', 'item 10']);
  });
});

describe('CSV (RFC 4180)', () => {
  const text: Column = { key: 'name', kind: 'text' };
  const amount: Column = { key: 'price.amount', kind: 'number', currency: 'EUR' };
  it.each([
    ['plain', 'Ibuprofen', 'Ibuprofen'],
    ['a comma', 'Kapseln 2,5 mg', '"Kapseln 2,5 mg"'],
    ['a quote', 'the "best"', '"the ""best"""'],
    ['a line break', 'two\nlines', '"two\nlines"'],
    ['a carriage return', 'two\r\nlines', '"two\r\nlines"'],
    ['non-ASCII', 'Müller – 5 µg', 'Müller – 5 µg'],
    ['a formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['a leading plus', '+49 30', "'+49 30"],
    ['a leading at', '@SUM(A1)', "'@SUM(A1)"],
    ['an empty cell', null, ''],
  ])('writes a text cell with %s', (_name, value, field) => {
    expect(toCsv({ columns: [text], rows: [{ name: value }] })).toBe(`name\r\n${field}\r\n`);
  });

  it.each(['1207.10', '0.05', '-3.00', '79782936.62', '123456789012345678901234567890.12'])(
    'writes the decimal %s exactly as the graph returned it',
    (value) => {
      expect(toCsv({ columns: [text, amount], rows: [{ name: 'x', 'price.amount': value }] })).toBe(`name,price.amount\r\nx,${value}\r\n`);
    },
  );
});

describe('charts', () => {
  it('plots a month column as a line and a name with numbers as bars; nothing without a number', () => {
    const monthly = findDatasets({ m: [{ month: '2026-01', n: 1 }] })[0];
    const ranked = findDatasets({ p: [{ p1Id: 'P1', name: 'A', units: 3 }] })[0];
    const labels = findDatasets({ p: [{ name: 'A', note: 'x' }] })[0];
    expect(monthly && chartSpec(monthly)).toMatchObject({ kind: 'line', x: { key: 'month' }, values: [{ key: 'n' }] });
    expect(ranked && chartSpec(ranked)).toMatchObject({ kind: 'bar', x: { key: 'name' }, values: [{ key: 'units' }] });
    expect(labels && chartSpec(labels)).toBeNull();
  });

  it.each([
    [0, 16_543.2, [0, 5000, 10_000, 15_000, 20_000]],
    [3, 9, [0, 2, 4, 6, 8, 10]],
    [-12, 30, [-20, -10, 0, 10, 20, 30]],
    [0, 0, [0, 1]],
  ])('puts round ticks over %d..%d', (min, max, ticks) => {
    expect(niceTicks(min, max)).toEqual(ticks);
  });

  it('formats money from the exact string, in the row currency', () => {
    const column: Column = { key: 'a', kind: 'number', currency: { column: 'c' } };
    expect(formatValue(column, '123456789012345678.12', { c: 'EUR' }).replace(/\D/g, '')).toBe('12345678901234567812');
    expect(formatValue(column, '5.00', { c: 'USD' })).toContain('$');
  });
});
