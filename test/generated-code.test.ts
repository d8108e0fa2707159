import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDrift, projectRoot } from '../scripts/codegen.ts';
import { renderRestTypes } from '../scripts/codegen/rest-types.ts';

describe('generated code', () => {
  it('matches what the SDL and the OpenAPI file generate now (run `npm run codegen` after editing either)', async () => {
    expect(await findDrift()).toEqual([]);
  });

  it('keeps the committed REST types equal to what schema/pharmaone.openapi.yaml generates', async () => {
    const [rest] = await renderRestTypes(projectRoot);
    expect(rest?.path).toBe('src/generated/pharmaone-rest.ts');
    expect(await readFile(resolve(projectRoot, 'src/generated/pharmaone-rest.ts'), 'utf8')).toBe(rest?.content);
  });

  it('renders the REST types identically on every run, under a do-not-edit header', async () => {
    const [first, second] = await Promise.all([renderRestTypes(projectRoot), renderRestTypes(projectRoot)]);
    expect(second).toEqual(first);
    expect(first?.[0]?.content).toMatch(/^\/\/ generated from schema\/pharmaone\.openapi\.yaml by npm run codegen — do not edit\n/);
  });
});
