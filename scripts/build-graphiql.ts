// Bundles the playground (graphiql/ + GraphiQL 5, Monaco and its workers) into dist/graphiql/
// with esbuild, for the gateway to serve with no CDN. The bundle is a build output, not committed
// (several MB of minified JS): `npm start`, the tests that need it and the Docker image build it.
//
//   npm run build:graphiql              build if the inputs changed since the last build
//   npm run build:graphiql -- --force   build anyway
//
// Either way it prints each file's size, raw and gzipped (what a browser downloads), the figures
// docs/analysts.md records.
//
// dist/graphiql/manifest.json lists what the gateway serves (src/http/graphiql/assets.ts) and
// a hash of every input, so an up-to-date bundle costs one hash to confirm.
import { createHash } from 'node:crypto';
import { globSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphiqlManifest } from '../src/http/graphiql/assets.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const GRAPHIQL_DIST = resolve(projectRoot, 'dist/graphiql');

/** Everything the bundle is made from: a change to any of these rebuilds it. */
function inputHash(): string {
  const files = [
    'package-lock.json',
    'scripts/build-graphiql.ts',
    ...globSync('graphiql/**/*', { cwd: projectRoot, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `${entry.parentPath}/${entry.name}`.slice(projectRoot.length + 1)),
    ...globSync('examples/operations/*.{graphql,json}', { cwd: projectRoot }),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(resolve(projectRoot, file)))
      .update('\0');
  return hash.digest('hex');
}

async function readManifest(): Promise<GraphiqlManifest | null> {
  try {
    return JSON.parse(await readFile(resolve(GRAPHIQL_DIST, 'manifest.json'), 'utf8')) as GraphiqlManifest;
  } catch {
    return null;
  }
}

export async function buildGraphiql(options: { force?: boolean } = {}): Promise<{ built: boolean; manifest: GraphiqlManifest }> {
  const hash = inputHash();
  const existing = await readManifest();
  if (!options.force && existing?.inputHash === hash) return { built: false, manifest: existing };

  // esbuild is a devDependency, imported only when a build is due.
  const esbuild = await import('esbuild');
  // Build beside the target and swap it in whole: tests in parallel processes may race to
  // build, and a gateway must never see half a bundle.
  const staging = `${GRAPHIQL_DIST}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const common = {
    absWorkingDir: projectRoot,
    bundle: true,
    minify: true,
    target: 'es2022',
    outdir: staging,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
  } as const;

  // Monaco's language workers, each a classic script (no module workers needed): editor
  // (the base service), json (variables and headers editors), graphql (monaco-graphql).
  const workers = await esbuild.build({
    ...common,
    format: 'iife',
    entryPoints: [
      { in: 'monaco-editor/esm/vs/editor/editor.worker.js', out: 'editor.worker' },
      { in: 'monaco-editor/esm/vs/language/json/json.worker.js', out: 'json.worker' },
      { in: 'monaco-graphql/esm/graphql.worker.js', out: 'graphql.worker' },
    ],
  });
  const workerFile = (name: string): string => {
    const output = Object.keys(workers.metafile.outputs).find((path) => basename(path).startsWith(`${name}-`));
    if (!output) throw new Error(`esbuild did not emit ${name}`);
    return basename(output);
  };

  const app = await esbuild.build({
    ...common,
    format: 'esm',
    entryPoints: [{ in: 'graphiql/main.tsx', out: 'graphiql' }],
    jsx: 'automatic',
    loader: { '.graphql': 'text', '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    define: {
      ...common.define,
      MONACO_WORKERS: JSON.stringify({
        editor: workerFile('editor.worker'),
        json: workerFile('json.worker'),
        graphql: workerFile('graphql.worker'),
      }),
    },
  });

  const files = [...Object.keys(workers.metafile.outputs), ...Object.keys(app.metafile.outputs)].map((path) => basename(path)).sort();
  const entry = (extension: string): string => {
    const file = files.find((name) => name.startsWith('graphiql-') && name.endsWith(extension));
    if (!file) throw new Error(`esbuild did not emit the page's ${extension}`);
    return file;
  };
  const manifest: GraphiqlManifest = { inputHash: hash, script: entry('.js'), stylesheet: entry('.css'), files };
  await writeFile(resolve(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  // Another process may have finished the same build meanwhile: keep whichever landed first.
  const landed = await readManifest();
  if (landed?.inputHash === hash) {
    await rm(staging, { recursive: true, force: true });
    return { built: false, manifest: landed };
  }
  await rm(GRAPHIQL_DIST, { recursive: true, force: true });
  await rename(staging, GRAPHIQL_DIST);
  return { built: true, manifest };
}

/** Each served file's bytes, raw and gzipped. */
export function bundleSizes(manifest: GraphiqlManifest): Array<{ file: string; bytes: number; gzip: number }> {
  return manifest.files.map((file) => {
    const path = resolve(GRAPHIQL_DIST, file);
    return { file, bytes: statSync(path).size, gzip: gzipSync(readFileSync(path)).length };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  try {
    const { built, manifest } = await buildGraphiql({ force: process.argv.includes('--force') });
    const where = `dist/graphiql/ (${manifest.files.length} files)`;
    console.log(
      built ? `built the GraphiQL playground into ${where} in ${Date.now() - started} ms` : `GraphiQL playground in ${where} is up to date`,
    );
    const sizes = bundleSizes(manifest);
    const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`.padStart(10);
    for (const { file, bytes, gzip } of sizes) console.log(`  ${file.padEnd(28)}${kB(bytes)}  gzip ${kB(gzip)}`);
    const total = sizes.reduce((sum, size) => ({ bytes: sum.bytes + size.bytes, gzip: sum.gzip + size.gzip }), { bytes: 0, gzip: 0 });
    console.log(`  ${'total'.padEnd(28)}${kB(total.bytes)}  gzip ${kB(total.gzip)}`);
  } catch (error) {
    // `npm start` runs this first. A production install (npm ci --omit=dev) has no esbuild and must
    // still start: the gateway then serves GraphQL, and browsers a page saying how to build this.
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || !String(error).includes('esbuild')) throw error;
    console.warn('esbuild is not installed (a production install?): the GraphiQL playground is not built.');
  }
}
