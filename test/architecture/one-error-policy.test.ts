// Issue 20, "one response writer": every transport formats errors through the one error policy
// (src/graphql/error-policy.ts). This test reads the calls of src/ with TypeScript's parser and
// fails when the error map or the client-mistake rules are called anywhere else (a transport that
// formats on its own would drift from the others), or when a file other than the policy reads a
// status out of `extensions.http` to decide an answer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript5';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const POLICY = 'src/graphql/error-policy.ts';
/** The rules the policy applies: called by the policy alone. */
const POLICY_RULES = ['formatClientError', 'formatClientMistakes', 'statusOf'];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return path === 'src/generated' || path === 'src/sandbox' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The names a file calls (`f(…)` and `x.f(…)`), and whether it reads `….extensions.http`. */
function usesOf(source: string): { calls: Set<string>; readsHttpExtension: boolean } {
  const file = ts.createSourceFile('file.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const calls = new Set<string>();
  let readsHttpExtension = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) calls.add(callee.text);
      else if (ts.isPropertyAccessExpression(callee)) calls.add(callee.name.text);
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'http') {
      const owner = node.expression;
      if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'extensions') readsHttpExtension = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { calls, readsHttpExtension };
}

describe('the use reader', () => {
  it.each([
    ['formatClientError()(a, b);', ['formatClientError'], false],
    ['x.formatClientMistakes(f, o);', ['formatClientMistakes'], false],
    ['const s = error.extensions.http?.status;', [], true],
    ['const s = (error?.extensions?.http as H).status;', [], true],
    ['// formatClientError() in a comment\nconst http = 1;', [], false],
  ])('reads %j', (source, calls, readsHttp) => {
    const uses = usesOf(source);
    expect(POLICY_RULES.filter((name) => uses.calls.has(name))).toEqual(calls);
    expect(uses.readsHttpExtension).toBe(readsHttp);
  });
});

describe('errors reach a client only through the error policy', () => {
  const files = sourceFiles('src').map((path) => ({ path, ...usesOf(readFileSync(join(root, path), 'utf8')) }));

  it('the policy applies the rules', () => {
    const policy = files.find((file) => file.path === POLICY);
    expect(policy?.calls.has('formatClientError')).toBe(true);
    expect(policy?.calls.has('formatClientMistakes')).toBe(true);
  });

  it('no other file calls them', () => {
    const elsewhere = files.flatMap((file) =>
      file.path === POLICY ? [] : POLICY_RULES.filter((name) => file.calls.has(name)).map((name) => `${file.path} calls ${name}`),
    );
    expect(elsewhere).toEqual([]);
  });

  it('no other file takes a status out of extensions.http (the client-mistake rule reads it on the policy’s behalf)', () => {
    const readers = files.filter((file) => file.readsHttpExtension).map((file) => file.path);
    expect(readers.filter((path) => path !== POLICY && path !== 'src/graphql/safety/client-mistakes.ts')).toEqual([]);
  });
});
