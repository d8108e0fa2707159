// The fenced blocks of the README and docs/, read the way test/docs/ checks them: a shell block
// fenced as ```sh runnable is meant to be pasted against `npm start` (the gateway on
// 127.0.0.1:4000 with its sandbox), and a ```json expected block after it, before any other
// block, is what it prints (as a subset of the fields). See docs/architecture.md, "Documentation".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  body: string;
}

export interface RunnableBlock extends DocBlock {
  expected?: unknown;
}

/** README.md and every docs/*.md, relative to the repository root. */
export function documentationFiles(root: string): string[] {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
}

/** Every fenced block of one markdown file, indented ones (inside a list item) dedented. */
export function fencedBlocks(file: string, markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? '')) {
      body.push((lines[j] ?? '').slice(indent.length));
      j++;
    }
    blocks.push({ file, line: i + 1, info: info.trim(), body: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The runnable blocks of the documentation, each with the expected output that follows it. */
export function runnableBlocks(root: string): RunnableBlock[] {
  const runnable: RunnableBlock[] = [];
  for (const file of documentationFiles(root)) {
    const blocks = fencedBlocks(file, readFileSync(join(root, file), 'utf8'));
    blocks.forEach((block, index) => {
      if (block.info !== 'sh runnable') return;
      const next = blocks[index + 1];
      runnable.push(next?.info === 'json expected' ? { ...block, expected: JSON.parse(next.body) as unknown } : block);
    });
  }
  return runnable;
}

/** `expected` within `actual`: objects by their listed keys, arrays element by element from the start. */
export function containsSubset(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length <= actual.length && expected.every((item, i) => containsSubset(actual[i], item));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => key in record && containsSubset(record[key], value));
  }
  return Object.is(actual, expected);
}
