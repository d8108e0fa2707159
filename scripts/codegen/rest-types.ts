// Generates src/generated/pharmaone-rest.ts, the REST types, from the upstream contract
// schema/pharmaone.openapi.yaml with openapi-typescript, and src/generated/pharmaone-contract.ts,
// the same document as data (prose and examples dropped) for the checks the gateway makes at run
// time: response shapes, the known error codes and scope names. The gateway never parses YAML.
import { registerHooks } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedFile } from './generated-file.ts';

export const restTypesPath = 'src/generated/pharmaone-rest.ts';
export const contractDataPath = 'src/generated/pharmaone-contract.ts';
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
  return [
    { path: restTypesPath, content: header + astToString(ast) },
    { path: contractDataPath, content: await renderContractData(projectRoot) },
  ];
}

/** Keys that only explain: the run-time checks never read them. */
const PROSE_KEYS = new Set(['description', 'summary', 'examples', 'example', 'tags', 'info', 'servers']);

function withoutProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !PROSE_KEYS.has(key))
      .map(([key, inner]) => [key, withoutProse(inner)]),
  );
}

async function renderContractData(projectRoot: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const { parse } = await import('yaml');
  const doc = withoutProse(parse(await readFile(resolve(projectRoot, schemaPath), 'utf8')));
  return `${header}/** schema/pharmaone.openapi.yaml as data, without prose. */\nexport const pharmaoneContract: unknown = ${JSON.stringify(doc, null, 1)};\n`;
}
