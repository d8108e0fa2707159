// What an entry of a cache kept per query text really costs in heap, for the byte budgets of
// src/graphql/document-caches.ts. A text's length alone says little: graphql-js keeps every token,
// node and location of a parsed document (50 to 160 bytes per character of the text), and
// graphql-jit generates and compiles code for every field it selects, fragments expanded
// (kilobytes per field). So the estimates count what the heap is made of, with factors measured:
// node 24 (V8 13), graphql 16, graphql-jit 0.8, heap used after two full collections, over 300
// distinct texts of each shape (60 plans, each run once so that its bytecode exists, with what of
// its document it keeps). Each factor is the largest seen, rounded up, so each estimate is an upper
// bound; test/unit/document-sizes.test.ts measures the shapes again and fails if one falls below.
//
//   shape                                chars  tokens  document  /char  /token     plan  fields + __typename
//   30 aliased __typename                  533      94    27,790     52     296   10,696     0 + 30
//   29 one-letter aliases of Shop.id       180     105    29,561    164     282  125,195    31 + 1
//   600 spreads of one fragment          3,047   1,214   316,172    104     260    2,536     0 + 601
//   300 inline fragments                 4,815   1,207   396,213     82     328    3,761     0 + 301
//   600 × __typename                     6,615     607   317,917     48     524    1,942     0 + 601
//   29 aliased org { shops { id name } }   979     439   130,695    134     298  608,640   116
//   29 aliased Money objects             1,044     221    74,715     72     338  359,175    90
//   orders with items, shop and money      200      54    18,610     93     345   90,086    20
//   one fragment spread in three places    236      74    21,326     90     288  131,120    34
//
// Plans cost up to 6.4 KB per field (160,720 bytes for an orders query of 25 fields with the code
// of every copy distinct); `__typename`, repeated fields and repeated spreads cost graphql-jit
// little and are counted in full here. bench/document-memory.ts checks the whole from outside.
import { Kind } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionSetNode, Token } from 'graphql';

export const DOCUMENT_BYTES_PER_CHAR = 200;
export const DOCUMENT_BYTES_PER_TOKEN = 560;
/** The Document and Source objects, a cache entry's key, value and slots. */
export const ENTRY_BYTES = 1_024;
export const PLAN_BYTES_PER_FIELD = 8_192;
export const PLAN_BYTES_PER_TYPENAME = 256;
/** A compiled query's own closures, serialisers and variable parser. */
export const PLAN_BYTES = 8_192;

/** A string's heap: V8 keeps a text with any character beyond Latin-1 at two bytes per character. */
export function textBytes(text: string): number {
  return 2 * text.length + 32;
}

/** Upper bound on the heap a parsed document holds, its text included. */
export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  if (!loc) return ENTRY_BYTES + nodeCount(document) * DOCUMENT_BYTES_PER_TOKEN;
  let tokens = 0;
  for (let token: Token | null = loc.startToken; token !== null; token = token.next) tokens++;
  const chars = loc.source.body.length;
  return ENTRY_BYTES + textBytes(loc.source.body) + Math.min(chars * DOCUMENT_BYTES_PER_CHAR, tokens * DOCUMENT_BYTES_PER_TOKEN);
}

/**
 * Upper bound on the heap of a compiled plan for `operation`, the document it keeps alive
 * included; Infinity when it would select more than `maxFields` fields (no budget fits it).
 */
export function planBytes(document: DocumentNode, operation: OperationDefinitionNode, maxFields: number): number {
  const counted = compiledFields(document, operation, maxFields);
  if (counted === undefined) return Number.POSITIVE_INFINITY;
  return PLAN_BYTES + counted.fields * PLAN_BYTES_PER_FIELD + counted.typenames * PLAN_BYTES_PER_TYPENAME + documentBytes(document);
}

/**
 * The fields a compiler walks: every field of the operation, each fragment counted at each place
 * it is spread (graphql-jit compiles it there). Never fewer than graphql-jit compiles (a field
 * selected twice counts twice); undefined once over `max`, so a document of nested spreads costs
 * at most `max` steps here.
 */
export function compiledFields(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  max: number,
): { fields: number; typenames: number } | undefined {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const counted = { fields: 0, typenames: 0 };
  const spreading = new Set<string>();
  function walk(selectionSet: SelectionSetNode): boolean {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') counted.typenames++;
        else counted.fields++;
        if (counted.fields + counted.typenames > max) return false;
        if (selection.selectionSet && !walk(selection.selectionSet)) return false;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!walk(selection.selectionSet)) return false;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation refuses unknown and cyclic spreads; this walk stays finite without relying on it.
        if (!fragment || spreading.has(name)) continue;
        spreading.add(name);
        const fits = walk(fragment.selectionSet);
        spreading.delete(name);
        if (!fits) return false;
      }
    }
    return true;
  }
  return walk(operation.selectionSet) ? counted : undefined;
}

function nodeCount(document: DocumentNode): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null && 'kind' in value) {
      count++;
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(document);
  return count;
}
