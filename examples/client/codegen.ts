// graphql-codegen's client preset for the example client: typed documents for every operation in
// examples/operations/ and of the live-feed and keyed-mutation examples, generated against the
// printed schema (schema.graphql) as any client team would. `npm run codegen` runs it (scripts/codegen/example-client.ts) and drift-checks the output.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SCALAR_TYPES } from '../../codegen.ts';

export const EXAMPLE_CLIENT_OUTPUT = 'examples/client/generated/';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  // The live-feed and keyed-mutation documents sit beside their examples, not in operations/
  // (whose files are the playground's example tabs).
  documents: ['examples/operations/*.graphql', 'examples/live-feed/*.graphql', 'examples/keyed-mutation/*.graphql'],
  silent: true,
  generates: {
    [EXAMPLE_CLIENT_OUTPUT]: {
      preset: 'client',
      presetConfig: {
        // The operations select no fragments; masking would only add a helper file.
        fragmentMasking: false,
      },
      config: {
        // Documents as typed strings: the client posts them with fetch and needs no graphql-js at run time.
        documentMode: 'string',
        // Only erasable TypeScript (Node runs .ts by stripping types): enums as string unions.
        enumType: 'string-literal',
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        importExtension: '.ts',
        strictScalars: true,
        scalars: SCALAR_TYPES,
      },
    },
  },
};

export default config;
