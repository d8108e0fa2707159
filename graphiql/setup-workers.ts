// Monaco runs its language services in web workers. graphiql ships setup files for Vite,
// webpack and esm.sh (a CDN); this is the esbuild equivalent: the build bundles each worker as
// its own file next to the app bundle, so every worker is served by the gateway itself.
// Imported first by main.tsx: Monaco reads MonacoEnvironment when it creates its first editor.

function workerUrl(file: string): URL {
  return new URL(file, import.meta.url);
}

(globalThis as { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } }).MonacoEnvironment = {
  getWorker(_workerId, label) {
    if (label === 'graphql') return new Worker(workerUrl(MONACO_WORKERS.graphql));
    if (label === 'json') return new Worker(workerUrl(MONACO_WORKERS.json));
    return new Worker(workerUrl(MONACO_WORKERS.editor));
  },
};
