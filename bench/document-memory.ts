// `npm run bench:document-memory`: what a replica keeps per distinct query text (issue 21). The
// sandbox and the gateway run as their own processes, the gateway under the Deployment's own heap
// limit (NODE_OPTIONS=--max-old-space-size=384, deploy/kubernetes/base/deployment.yaml) and with
// its inspector open, so each sample is taken after full garbage collections: RSS and used heap
// from the gateway's /metrics every BENCH_SAMPLE_EVERY texts, then the heap and RSS per text.
// BENCH_GC=false samples without collecting first: RSS as the replica would really grow.
//
// BENCH_DOCUMENTS (default 20,000) distinct texts of 30 aliased `__typename`, sent once each over
// BENCH_CONCURRENCY (8) connections with BENCH_APIKEY: `garbage` by default (a key nobody proved;
// `__typename` needs no PharmaOne call, so it is answered 200), or a sandbox key such as
// sandbox-org1-key, which is first proven by one token exchange (an `org { shops }` read).
// BENCH_KIND=shops adds that read to every text. BENCH_HEAP_MB (384) and BENCH_GATEWAY_ENV (JSON)
// change the gateway's settings for an experiment. Prints one JSON object; bench/RESULTS.md
// records runs by hand.
import os from 'node:os';
import { request } from 'undici';
import { growthPerDocument, sampleMemory, sendDistinctDocuments } from './lib/document-flood.ts';
import type { DocumentKind, MemorySample } from './lib/document-flood.ts';
import { startGatewayProcess, startSandboxProcess } from './lib/processes.ts';

const documents = Number(process.env.BENCH_DOCUMENTS ?? 20_000);
const sampleEvery = Number(process.env.BENCH_SAMPLE_EVERY ?? 2_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const apikey = process.env.BENCH_APIKEY ?? 'garbage';
const kind = (process.env.BENCH_KIND ?? 'typename') as DocumentKind;
const heapMb = Number(process.env.BENCH_HEAP_MB ?? 384);
const gatewayEnv = JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}') as Record<string, string>;
const collect = process.env.BENCH_GC !== 'false';

const sandbox = await startSandboxProcess();
const gateway = await startGatewayProcess(
  sandbox.url,
  { LOG_LEVEL: 'warn', GRAPHIQL_ENABLED: 'false', NODE_OPTIONS: `--max-old-space-size=${heapMb}`, ...gatewayEnv },
  { inspect: collect },
);
const origin = gateway.url.replace(/\/graphql$/, '');
try {
  const proven = apikey.startsWith('sandbox-') ? await prove(gateway.url, apikey) : false;
  const samples: MemorySample[] = [await sampleMemory(`${origin}/metrics`, 0, gateway.inspectorUrl)];
  let failed = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  for (let from = 0; from < documents; from += sampleEvery) {
    const to = Math.min(documents, from + sampleEvery);
    const sent = await sendDistinctDocuments(gateway.url, { from, to, apikey, concurrency, kind });
    failed += sent.failed;
    firstFailure ??= sent.firstFailure;
    const sample = await sampleMemory(`${origin}/metrics`, to, gateway.inspectorUrl);
    samples.push(sample);
    console.error(JSON.stringify(sample));
  }
  const seconds = (performance.now() - started) / 1000;
  const health = await request(`${origin}/healthz`);
  await health.body.dump();
  const first = samples[0];
  const last = samples.at(-1);
  const second = samples[1];
  if (!first || !last || !second) throw new Error('no samples');
  console.log(
    JSON.stringify(
      {
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
        at: new Date().toISOString(),
        settings: { documents, kind, apikey: proven ? `${apikey} (proven)` : apikey, concurrency, heapMb, collect, gatewayEnv },
        seconds: Math.round(seconds),
        failed,
        ...(firstFailure ? { firstFailure } : {}),
        healthz: health.statusCode,
        // The first interval: what each text costs before any bound is reached; the whole run: what is left of it.
        perDocument: { firstInterval: growthPerDocument(first, second), whole: growthPerDocument(first, last) },
        maxRssMiB: Math.max(...samples.map((sample) => sample.rssMiB)),
        samples,
      },
      null,
      2,
    ),
  );
} finally {
  await gateway.stop();
  await sandbox.stop();
}

/** One PharmaOne read, so the key's token exchange has succeeded before the texts are sent. */
async function prove(url: string, key: string): Promise<boolean> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: key },
    body: JSON.stringify({ query: '{ org(id: "org1") { shops { id } } }' }),
  });
  const body = (await res.body.json()) as { data?: unknown; errors?: unknown };
  if (res.statusCode !== 200 || body.errors) throw new Error(`${key} could not read org1: ${JSON.stringify(body)}`);
  return true;
}
