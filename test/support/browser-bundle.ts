// A test page's script: a TypeScript fixture bundled by esbuild for the browser (ES modules,
// production React), read into memory so the test can serve it from whichever origin it needs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The bundled script of `entry` (an absolute path); its temporary directory is gone when this resolves. */
export async function bundleBrowserApp(entry: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'browser-app-'));
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'app.js'),
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    return await readFile(join(dir, 'app.js'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
