// Generates src/generated/pharmaone-rest.ts, the REST types, from the upstream contract
// schema/pharmaone.openapi.yaml with openapi-typescript.
import { registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedFile } from '../codegen.ts';

export const restTypesPath = 'src/generated/pharmaone-rest.ts';
const schemaPath = 'schema/pharmaone.openapi.yaml';

const header = `// generated from ${schemaPath} by npm run codegen — do not edit\n\n`;

let hookRegistered = false;

// openapi-typescript builds its output with the TypeScript 5 compiler API, which TypeScript 7
// (the project's `typescript`) no longer ships; it gets the TS 5 copy installed as `typescript5`.
function redirectTypescriptForOpenapiTs(): void {
  if (hookRegistered) return;
  hookRegistered = true;
  registerHooks({
    resolve(specifier, context, next) {
      if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) {
        return next('typescript5', context);
      }
      return next(specifier, context);
    },
  });
}

export async function renderRestTypes(projectRoot: string): Promise<GeneratedFile[]> {
  redirectTypescriptForOpenapiTs();
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(pathToFileURL(resolve(projectRoot, schemaPath)), {
    // The generated file must not depend on the machine, so no absolute paths or lint chatter.
    silent: true,
  });
  return [{ path: restTypesPath, content: header + astToString(ast) }];
}
