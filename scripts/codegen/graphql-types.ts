// Renders src/generated/graphql-types.ts and src/modules/resolver-types.ts with graphql-codegen, in
// memory: scripts/codegen.ts decides whether to write them or to compare them with the committed files.
import { relative, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { GeneratedFile } from './generated-file.ts';
import codegenConfig from '../../codegen.ts';

/** What generate() resolves to without watch mode (its typings say `any`). */
type CodegenOutput = { filename: string; content: string };

export async function renderGraphqlTypes(projectRoot: string): Promise<GeneratedFile[]> {
  // saveToFile = false: codegen returns the outputs instead of writing them.
  const outputs: CodegenOutput[] = await generate({ ...codegenConfig, cwd: projectRoot, silent: true }, false);
  return outputs
    .map((output) => ({
      // codegen names outputs as configured (relative); normalise in case a version makes them absolute.
      path: relative(projectRoot, resolve(projectRoot, output.filename)).split('\\').join('/'),
      content: output.content.endsWith('\n') ? output.content : `${output.content}\n`,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
