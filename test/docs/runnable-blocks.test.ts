// Every shell block the documentation marks runnable (```sh runnable) is run against a sandbox and
// a gateway started here, with the documented address (127.0.0.1:4000) rewritten to the gateway's,
// from the repository root as a reader would paste it: it must exit 0, print no GraphQL errors,
// and print the ```json expected block that follows it, where there is one. So the commands the
// docs show cannot drift from what the gateway answers.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { containsSubset, runnableBlocks } from '../support/doc-blocks.ts';
import { stackFixture } from '../support/gateway.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const blocks = runnableBlocks(root);

describe('the reader of runnable blocks', () => {
  it.each([
    [{ a: 1, b: [{ c: 2, d: 3 }, { c: 4 }] }, { b: [{ c: 2 }] }, true],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: [1] }, { a: [1, 2] }, false],
    [[{ a: 1 }], { a: 1 }, false],
    [{ a: { b: null } }, { a: { b: null } }, true],
  ])('matches %j against %j: %s', (actual, expected, result) => {
    expect(containsSubset(actual, expected)).toBe(result);
  });

  it('finds the blocks the README and the client docs mark, with their expected output', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThan(0);
    expect(blocks.some((block) => block.file === 'docs/clients.md' && block.expected !== undefined)).toBe(true);
  });
});

describe('runnable blocks against a started sandbox and gateway', () => {
  const stack = stackFixture();

  it.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))('%s', async (_, block) => {
    const address = new URL(stack.gateway.url).host;
    const script = block.body.replaceAll('127.0.0.1:4000', address).replaceAll('localhost:4000', address);
    // Async, never execFileSync: the gateway answering the block runs in this process.
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, timeout: 60_000, maxBuffer: 16 * 2 ** 20 });
    const output = stdout.trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      parsed = undefined;
    }
    for (const answer of Array.isArray(parsed) ? parsed : [parsed]) {
      if (answer && typeof answer === 'object') expect((answer as { errors?: unknown }).errors, output).toBeUndefined();
    }
    if (block.expected !== undefined) {
      expect(parsed, output).toBeDefined();
      expect(containsSubset(parsed, block.expected), `${output}\n  should contain\n${JSON.stringify(block.expected)}`).toBe(true);
    }
  });
});
