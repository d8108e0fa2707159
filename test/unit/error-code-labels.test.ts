// The `code` label of graphql_operation_errors_total is bounded: an UPPER_SNAKE code of at most
// 64 characters is its own label while fewer than 64 codes have been seen, anything else is
// `other`; codes that were refused take no place, and a code kept once stays itself.
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../../src/observability/metrics.ts';

async function counts(codes: readonly string[][]): Promise<Record<string, number>> {
  const metrics = createGatewayMetrics({ maxOperationNames: 10 });
  for (const request of codes) metrics.operationErrors(request);
  const text = await metrics.render();
  return Object.fromEntries(
    [...text.matchAll(/^graphql_operation_errors_total\{code="([^"]*)"\} (\d+)$/gm)].map(([, code, n]) => [code, Number(n)]),
  );
}

const codeNumbered = (i: number) => `CODE_${String(i).padStart(3, '0')}`;

describe('graphql_operation_errors_total code labels', () => {
  it.each([
    ['NOT_FOUND', 'NOT_FOUND'],
    ['A', 'A'],
    ['E2E_9', 'E2E_9'],
    ['X'.repeat(64), 'X'.repeat(64)],
    ['X'.repeat(65), 'other'],
    ['not_found', 'other'],
    ['NotFound', 'other'],
    ['1NOT_FOUND', 'other'],
    ['_NOT_FOUND', 'other'],
    ['NOT-FOUND', 'other'],
    ['NOT FOUND', 'other'],
    ['NOT_FOUND\n', 'other'],
    ['NOT_FOUND"} 1\nfake_metric{a="', 'other'],
    ['ÉCHEC', 'other'],
    ['', 'other'],
  ])('%j is counted as %j', async (code, label) => {
    expect(await counts([[code]])).toEqual({ [label]: 1 });
  });

  it('keeps the first 64 codes, counts later ones as other, and keeps counting a kept code as itself', async () => {
    const first = Array.from({ length: 64 }, (_, i) => codeNumbered(i));
    const result = await counts([first, [codeNumbered(64), codeNumbered(65)], [codeNumbered(0)], [codeNumbered(99)]]);

    expect(Object.keys(result)).toHaveLength(65);
    expect(result.other).toBe(3);
    expect(result[codeNumbered(0)]).toBe(2);
    for (const code of first.slice(1)) expect(result[code]).toBe(1);
  });

  it('gives no place to a refused code', async () => {
    const refused = Array.from({ length: 200 }, (_, i) => `lower_${i}`);
    const kept = Array.from({ length: 64 }, (_, i) => codeNumbered(i));
    const result = await counts([refused, kept]);

    expect(result.other).toBe(200);
    for (const code of kept) expect(result[code]).toBe(1);
  });

  it('is per gateway: another gateway in the process starts with all 64 places free', async () => {
    await counts([Array.from({ length: 64 }, (_, i) => `FIRST_${i}`)]);
    expect(await counts([['SECOND']])).toEqual({ SECOND: 1 });
  });
});
