// Issue 20, "a structure a newcomer can see": no src/ file over 300 lines and no function over 100,
// outside generated code (src/generated, src/modules/resolver-types.ts) and the sandbox's seed data
// (src/sandbox/data). Functions are found by TypeScript's own parser (the `typescript5` package:
// TS 5.9, which still has the JS API), so a function is whatever TypeScript parses as one with a
// body: declarations, expressions, arrows, methods, accessors, constructors. Each is measured from its first line (its doc comment
// not counted) to its last; a nested function counts toward its parent and is measured on its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript5';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 100;
const EXCLUDED = ['src/generated', 'src/modules/resolver-types.ts', 'src/sandbox/data'];

/** Lines as an editor numbers them: a final newline does not start another line. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

interface MeasuredFunction {
  /** Enclosing classes and named functions, then its own name: `createOrderFeed.subscribe`. */
  name: string;
  lines: number;
}

/** Every function with a body in `source`, parsed as TypeScript. */
function measureFunctions(fileName: string, source: string): MeasuredFunction[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const found: MeasuredFunction[] = [];
  const visit = (node: ts.Node, names: readonly string[]): void => {
    let inner = names;
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      inner = [...names, nameOf(node, file)];
      found.push({ name: inner.join('.'), lines: lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1 });
    } else if (ts.isClassLike(node)) {
      inner = [...names, node.name?.text ?? '<class>'];
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(file, []);
  return found;
}

/** Its own name, else that of what it is assigned to (`const f = () => …`, `{ run: function () … }`). */
function nameOf(node: ts.SignatureDeclaration, file: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name !== undefined) return node.name.getText(file);
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name) {
    return parent.name.getText(file);
  }
  return '<anonymous>';
}

function filesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (EXCLUDED.includes(path)) return [];
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the line counter', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['a\n', 1],
    ['a\nb', 2],
    ['a\nb\n', 2],
    ['\n', 1],
    ['a\n\n', 2],
  ])('counts %j as %i lines', (text, expected) => {
    expect(lineCount(text)).toBe(expected);
  });
});

describe('the function measure', () => {
  it.each([
    ['a function declaration', 'function f() {\n  a();\n}\n', [{ name: 'f', lines: 3 }]],
    ['without its doc comment', '/**\n * Does h.\n */\nfunction h() {}\n', [{ name: 'h', lines: 1 }]],
    ['an arrow with an expression body', 'const g = (x: number) =>\n  x + 1;\n', [{ name: 'g', lines: 2 }]],
    ['a function expression in a property', 'export const api = {\n  walk: function () {\n  },\n};\n', [{ name: 'walk', lines: 2 }]],
    [
      'a nested arrow, in its parent and on its own',
      'function outer() {\n  const inner = () => {\n    b();\n  };\n}\n',
      [
        { name: 'outer', lines: 5 },
        { name: 'outer.inner', lines: 3 },
      ],
    ],
    [
      'methods, accessors and constructors of a class',
      'class C {\n  constructor() {}\n  get v() {\n    return 1;\n  }\n  m() {\n    c();\n    d();\n  }\n}\n',
      [
        { name: 'C.constructor', lines: 1 },
        { name: 'C.v', lines: 3 },
        { name: 'C.m', lines: 4 },
      ],
    ],
    [
      'the methods of a returned object, under their factory',
      'export function create() {\n  return {\n    async close() {\n      await e();\n    },\n  };\n}\n',
      [
        { name: 'create', lines: 7 },
        { name: 'create.close', lines: 3 },
      ],
    ],
    ['an anonymous callback', 'items.map((item) => {\n  return item;\n});\n', [{ name: '<anonymous>', lines: 3 }]],
    ['no body, nothing to measure', 'declare function d(): void;\ninterface I {\n  m(): void;\n}\n', []],
  ])('%s', (_, source, expected) => {
    expect(measureFunctions('case.ts', source)).toEqual(expected);
  });
});

describe('src/', () => {
  const files = filesUnder('src');
  const sources = new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
  const longFiles = files.filter((file) => lineCount(sources.get(file) ?? '') > MAX_FILE_LINES);
  const longFunctions = files
    .filter((file) => /\.(ts|tsx|js|mjs)$/.test(file))
    .flatMap((file) =>
      measureFunctions(file, sources.get(file) ?? '')
        .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
        .map((fn) => `${file} › ${fn.name}`),
    );

  it('is read whole, generated code and seed data aside', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.some((file) => EXCLUDED.some((excluded) => file === excluded || file.startsWith(`${excluded}/`)))).toBe(false);
    expect(files).toContain('src/feed/order-feed.ts');
  });

  // Issue 20 split the last offenders; there is no allow-list any more.
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    expect(longFiles).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(longFunctions).toEqual([]);
  });
});
