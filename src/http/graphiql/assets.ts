// Serves the playground's bundle (dist/graphiql/, built by scripts/build-graphiql.ts) under
// /graphiql/assets/. One exact route per file named in the bundle's manifest: nothing else on
// disk is reachable, so there is no path to traverse. File names carry a content hash, so
// browsers may cache them for good.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RouteHandler } from '../router.ts';
import { acceptsEncoding } from '../accept.ts';

export const ASSETS_PATH = '/graphiql/assets/';
export const DEFAULT_GRAPHIQL_DIST = fileURLToPath(new URL('../../../dist/graphiql/', import.meta.url));

/** dist/graphiql/manifest.json, written by scripts/build-graphiql.ts. */
export interface GraphiqlManifest {
  /** Hash of the bundle's inputs; the build skips itself while it matches. */
  inputHash: string;
  /** The page's script (an ES module) and stylesheet, file names in the bundle. */
  script: string;
  stylesheet: string;
  /** Every file of the bundle, manifest excluded. */
  files: string[];
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const gzipAsync = promisify(gzip);

export interface GraphiqlAssets {
  manifest: GraphiqlManifest;
  /** Route table entries, `/graphiql/assets/<file>` → handler. */
  routes: Record<string, RouteHandler>;
}

/** Null when the bundle has not been built (`node scripts/build-graphiql.ts`). */
export async function loadGraphiqlAssets(dir: string = DEFAULT_GRAPHIQL_DIST): Promise<GraphiqlAssets | null> {
  let manifest: GraphiqlManifest;
  try {
    manifest = JSON.parse(await readFile(resolve(dir, 'manifest.json'), 'utf8')) as GraphiqlManifest;
  } catch {
    return null;
  }
  const routes: Record<string, RouteHandler> = {};
  for (const file of manifest.files) {
    const contentType = CONTENT_TYPES[extname(file)];
    if (!contentType || file.includes('/')) continue;
    routes[`${ASSETS_PATH}${file}`] = assetHandler(resolve(dir, file), contentType);
  }
  return { manifest, routes };
}

function assetHandler(path: string, contentType: string): RouteHandler {
  // Read and compressed on first request, then kept: a gateway that never serves the playground
  // never holds its megabytes.
  let plain: Promise<Buffer> | undefined;
  let gzipped: Promise<Buffer> | undefined;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    plain ??= readFile(path);
    const useGzip = acceptsEncoding(req.headers['accept-encoding'], 'gzip');
    if (useGzip) gzipped ??= plain.then((body) => gzipAsync(body));
    const body = await (useGzip && gzipped ? gzipped : plain);
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': body.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
      ...(useGzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
