// Run by test/unit/document-sizes.test.ts as `node --expose-gc test/support/document-heap.ts`:
// the heap each shape of query text really takes, parsed and compiled, beside what
// src/graphql/document-sizes.ts estimates for it. Prints one JSON array. A child process of its
// own, so that a full collection before each reading is possible and nothing else shares its heap.
import { getOperationAST, parse } from 'graphql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { documentBytes, planBytes } from '../../src/graphql/document-sizes.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc');
const gc = collect;
const schema = buildGatewaySchema({ federationSubgraph: false });
const DOCUMENTS = 100;
const PLANS = 20;

const list = (n: number, item: (index: number) => string) => Array.from({ length: n }, (_, index) => item(index)).join(' ');
const letters = 'abcdefghijklmnopqrstuvwxyzABCD';
/** Each text distinct per index (so nothing is shared between copies), each valid against the schema. */
export const SHAPES: Record<string, (i: number) => string> = {
  '30 aliased __typename': (i) => `{ ${list(30, (a) => `d${i}_${a}: __typename`)} }`,
  '29 one-letter aliases of Shop.id': (i) => `{x${i}:__typename org(id:"o"){shops{${list(29, (a) => `${letters[a]}:id`)}}}}`,
  '600 spreads of one fragment': (i) => `{x${i}:__typename ${list(600, () => '...F')}} fragment F on Query{__typename}`,
  '300 inline fragments': (i) => `{x${i}:__typename ${list(300, () => '...{__typename}')}}`,
  '600 × __typename': (i) => `{x${i}:__typename ${list(600, () => '__typename')}}`,
  '29 aliased org { shops { id name } }': (i) => `{ ${list(29, (a) => `o${i}_${a}:org(id:"o"){shops{id name}}`)} }`,
  '29 aliased Money objects': (i) =>
    `{ org(id:"o"){ orders { nodes { ${list(29, (a) => `t${i}_${a}:totalAmount{amount currency}`)} } } } }`,
  'orders with items, shop and money': (i) =>
    `query Q${i} { org(id: "org1") { orders(first: 10) { nodes { i${i}: id status createdAt totalAmount { amount currency } shop { id name } items { name quantity unitPrice { amount } } } } shops { id name } } }`,
  'one fragment spread in three places': (i) =>
    `query Q${i} { org(id: "org1") { a: orders(first: 1) { ...O } b: orders(first: 2) { ...O } c: orders(first: 3) { ...O } } } fragment O on OrderConnection { nodes { i${i}: id status createdAt totalAmount { amount currency } shop { id name } } }`,
};

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Heap per item that `make` allocates and keeps, over `count` items. */
function measure<T>(count: number, make: (index: number) => T): { kept: T[]; bytes: number } {
  const before = heapUsed();
  const kept = Array.from({ length: count }, (_, index) => make(index));
  return { kept, bytes: (heapUsed() - before) / count };
}

const results: Array<{ shape: string; kind: 'document' | 'plan'; measured: number; estimated: number }> = [];
for (const [shape, text] of Object.entries(SHAPES)) {
  const texts = Array.from({ length: DOCUMENTS }, (_, index) => text(index));
  // The text is part of what a kept document holds (its source): created inside the measurement.
  const documents = measure(DOCUMENTS, (index) => parse(`${texts[index]} `.slice(0, -1)));
  results.push({ shape, kind: 'document', measured: documents.bytes, estimated: average(documents.kept.map(documentBytes)) });

  const operations = documents.kept.slice(0, PLANS).map((document) => operationOf(document));
  const plans = measure(PLANS, (index) => {
    const document = parse(`${texts[index]} `.slice(0, -1));
    const compiled = compileQuery(schema, document, undefined, { disablingCapturingStackErrors: true });
    if (!isCompiledQuery(compiled)) throw new Error(`${shape} does not compile: ${JSON.stringify(compiled)}`);
    // Run once: the bytecode of a plan in use is part of what it holds.
    void Promise.resolve(compiled.query(undefined, {}, {})).catch(() => undefined);
    return compiled;
  });
  const estimated = average(
    documents.kept.slice(0, PLANS).map((document, index) => planBytes(document, operations[index] as OperationDefinitionNode, 100_000)),
  );
  results.push({ shape, kind: 'plan', measured: plans.bytes, estimated });
}
console.log(JSON.stringify(results));

function operationOf(document: DocumentNode): OperationDefinitionNode {
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return operation;
}

function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
