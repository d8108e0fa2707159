// Distinct query texts sent to a gateway process, and its memory read from its own /metrics
// (prom-client's process and V8 heap gauges), for bench/document-memory.ts and the process test
// test/hardening/edge-document-memory.test.ts (issue 21: what a replica keeps per query text).
import { request } from 'undici';
import { collectGarbage } from './inspector.ts';
import { round } from './stats.ts';

export type DocumentKind = 'typename' | 'shops';

/**
 * The `index`-th distinct query text: 30 aliased `__typename` (the flood, answered
 * without PharmaOne), or with `shops` one PharmaOne read beside them.
 */
export function distinctQuery(index: number, kind: DocumentKind = 'typename'): string {
  const aliases = Array.from({ length: kind === 'shops' ? 29 : 30 }, (_, alias) => `d${index}_${alias}: __typename`).join(' ');
  return kind === 'shops' ? `{ ${aliases} org(id: "org1") { shops { id } } }` : `{ ${aliases} }`;
}

export interface FloodResult {
  sent: number;
  /** Answers that were not 200 with data and no errors. */
  failed: number;
  firstFailure?: string;
}

/** Sends texts `from`…`to - 1` over `concurrency` connections, each once, and counts the answers that failed. */
export async function sendDistinctDocuments(
  url: string,
  options: { from: number; to: number; apikey: string; concurrency: number; kind?: DocumentKind },
): Promise<FloodResult> {
  let next = options.from;
  const result: FloodResult = { sent: 0, failed: 0 };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.to) {
        const index = next++;
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', apikey: options.apikey },
          body: JSON.stringify({ query: distinctQuery(index, options.kind) }),
        });
        const text = await res.body.text();
        result.sent += 1;
        const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
        if (res.statusCode !== 200 || !body.data || body.errors) {
          result.failed += 1;
          result.firstFailure ??= `${res.statusCode} ${text.slice(0, 300)}`;
        }
      }
    }),
  );
  return result;
}

export interface MemorySample {
  documents: number;
  rssMiB: number;
  /** V8's used heap, after full collections when the process has an inspector. */
  heapUsedMiB: number;
}

/** The gateway's RSS and used heap from its /metrics, after a full collection when `inspectorUrl` is given. */
export async function sampleMemory(metricsUrl: string, documents: number, inspectorUrl?: string): Promise<MemorySample> {
  if (inspectorUrl) await collectGarbage(inspectorUrl);
  const res = await request(metricsUrl);
  const text = await res.body.text();
  const value = (name: string) => {
    const found = text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1];
    if (found === undefined) throw new Error(`${metricsUrl} has no ${name}`);
    return Number(found);
  };
  return {
    documents,
    rssMiB: round(value('process_resident_memory_bytes') / 2 ** 20),
    heapUsedMiB: round(value('nodejs_heap_size_used_bytes') / 2 ** 20),
  };
}

/** Bytes per document between two samples (heap and RSS). */
export function growthPerDocument(from: MemorySample, to: MemorySample): { heapBytes: number; rssBytes: number } {
  const documents = Math.max(1, to.documents - from.documents);
  return {
    heapBytes: Math.round(((to.heapUsedMiB - from.heapUsedMiB) * 2 ** 20) / documents),
    rssBytes: Math.round(((to.rssMiB - from.rssMiB) * 2 ** 20) / documents),
  };
}
