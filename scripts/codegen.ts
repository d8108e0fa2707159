// Regenerates every committed generated file from the OpenAPI contract, the SDL and the other
// sources each renderer names (docs/capacity.md's tables: bench/capacity-inputs.json)
// (`npm run codegen`), or, with --check, fails when a committed file has drifted from what they
// produce. The drift test (test/generated-code.test.ts) calls renderGeneratedFiles() the same way.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRestTypes } from './codegen/rest-types.ts';
import { renderGraphqlTypes } from './codegen/graphql-types.ts';
import { renderPrintedSchema } from './codegen/printed-schema.ts';
import { renderPrintedSubgraphSchema } from './codegen/printed-subgraph-schema.ts';
import { renderExampleClient } from './codegen/example-client.ts';
import { renderConfigurationDoc } from './codegen/configuration-doc.ts';
import { renderCapacityDoc } from './codegen/capacity-doc.ts';
import type { GeneratedFile } from './codegen/generated-file.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function renderGeneratedFiles(): Promise<GeneratedFile[]> {
  const printedSchema = renderPrintedSchema();
  const [printedSdl] = printedSchema;
  if (!printedSdl) throw new Error('renderPrintedSchema returned no file');
  return [
    ...(await renderRestTypes(projectRoot)),
    ...(await renderGraphqlTypes(projectRoot)),
    ...printedSchema,
    renderPrintedSubgraphSchema(),
    ...(await renderExampleClient(projectRoot, printedSdl.content)),
    renderConfigurationDoc(),
    await renderCapacityDoc(projectRoot),
  ];
}

/** Files whose committed content differs from what the sources generate now. */
export async function findDrift(): Promise<string[]> {
  const drifted: string[] = [];
  for (const file of await renderGeneratedFiles()) {
    const committed = await readFile(resolve(projectRoot, file.path), 'utf8').catch(() => null);
    if (committed !== file.content) drifted.push(file.path);
  }
  return drifted;
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const drifted = await findDrift();
    if (drifted.length > 0) {
      console.error(`Generated code drifted from its sources (run \`npm run codegen\`):\n  ${drifted.join('\n  ')}`);
      process.exit(1);
    }
    console.log('generated code matches its sources');
    return;
  }
  for (const file of await renderGeneratedFiles()) {
    const target = resolve(projectRoot, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    console.log(`wrote ${file.path}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
