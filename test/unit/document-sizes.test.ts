// The heap estimates behind the byte budgets of the caches kept per query text
// (src/graphql/document-sizes.ts). The factors were measured; this measures again, in a process of
// its own with full collections (test/support/document-heap.ts), on a table of text shapes from
// the plain to the dense, and fails if an estimate falls below what the heap really holds, so a
// graphql or graphql-jit upgrade that makes documents or plans heavier cannot pass unnoticed.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledFields, documentBytes, planBytes } from '../../src/graphql/document-sizes.ts';
import { must } from '../support/must.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Reading {
  shape: string;
  kind: 'document' | 'plan';
  measured: number;
  estimated: number;
}

describe('heap estimates against the heap', () => {
  it('never estimate less than a parsed document or a compiled plan holds, and a document at most 3 times more', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', 'test/support/document-heap.ts'], {
      cwd: root,
      maxBuffer: 1 << 20,
    });
    const readings = JSON.parse(stdout) as Reading[];
    expect(readings.map((reading) => `${reading.kind}: ${reading.shape}`)).toHaveLength(18);
    const under = readings.filter((reading) => reading.estimated < reading.measured);
    expect(under).toEqual([]);
    // Documents are what unproven callers fill their share with: an estimate far above the heap would shrink it for nothing.
    const loose = readings.filter((reading) => reading.kind === 'document' && reading.estimated > 3 * reading.measured);
    expect(loose).toEqual([]);
  }, 180_000);
});

const operationOf = (text: string) => {
  const document = parse(text);
  return { document, operation: must(getOperationAST(document), 'an operation') };
};

describe('fields a compiler walks', () => {
  it.each([
    { text: '{ a: __typename b: __typename }', fields: 0, typenames: 2 },
    { text: '{ org(id: "o") { id shops { id name } } }', fields: 5, typenames: 0 },
    // A fragment counts at every place it is spread, as graphql-jit compiles it there.
    { text: '{ org(id: "o") { a: shops { ...S } b: shops { ...S } } } fragment S on Shop { id name __typename }', fields: 7, typenames: 2 },
    { text: '{ org(id: "o") { shops { ... on Shop { id } ... { name } } } }', fields: 4, typenames: 0 },
    // Nested spreads multiply.
    {
      text: '{ org(id: "o") { ...A ...A } } fragment A on Org { x: shops { ...B } y: shops { ...B } } fragment B on Shop { id }',
      fields: 9,
      typenames: 0,
    },
    // Unknown and cyclic spreads (refused by validation) count nothing and end.
    { text: '{ org(id: "o") { ...Missing ...C } } fragment C on Org { id ...C }', fields: 2, typenames: 0 },
  ])('$text: $fields fields, $typenames __typename', ({ text, fields, typenames }) => {
    const { document, operation } = operationOf(text);
    expect(compiledFields(document, operation, 1_000)).toEqual({ fields, typenames });
  });

  it('stops counting past the limit, whatever the spreads multiply to', () => {
    // 2^20 fields once expanded; the walk gives up after the limit instead of walking them.
    const levels = Array.from({ length: 20 }, (_, level) => `fragment F${level} on Query { ...F${level + 1} ... { ...F${level + 1} } }`);
    const text = `{ ...F0 } ${levels.join(' ')} fragment F20 on Query { __typename }`;
    const { document, operation } = operationOf(text);
    expect(compiledFields(document, operation, 1_000)).toBeUndefined();
    expect(planBytes(document, operation, 1_000)).toBe(Number.POSITIVE_INFINITY);
    expect(compiledFields(document, operation, 2 ** 21)).toEqual({ fields: 0, typenames: 2 ** 20 });
  });
});

describe('document estimates', () => {
  it('grow with the tokens and the text, and count the text at two bytes per character', () => {
    const small = documentBytes(parse('{ __typename }'));
    const large = documentBytes(parse(`{ ${'__typename '.repeat(100)}}`));
    expect(large).toBeGreaterThan(small + 100 * 500);
    // Same tokens, longer names: the text itself costs more.
    const long = documentBytes(parse(`{ ${'x'.repeat(1_000)}: __typename }`));
    expect(long - documentBytes(parse('{ x: __typename }'))).toBeGreaterThanOrEqual(2 * 999);
  });

  it('estimate a document parsed without locations by its nodes', () => {
    const text = `{ ${'__typename '.repeat(50)}}`;
    expect(documentBytes(parse(text, { noLocation: true }))).toBeGreaterThan(50 * 500);
  });
});
