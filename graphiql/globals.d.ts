// Module shapes the bundler provides (scripts/build-graphiql.ts).

/** An example operation, imported as its source text (esbuild's text loader). */
declare module '*.graphql' {
  const source: string;
  export default source;
}

/** A stylesheet; esbuild collects every imported one into the bundle's single .css file. */
declare module '*.css';

/** File names of the Monaco worker bundles (content-hashed), set by the build with `define`. */
declare const MONACO_WORKERS: { editor: string; json: string; graphql: string };
