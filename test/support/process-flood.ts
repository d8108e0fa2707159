// The harness of the issue-21 process tests: a gateway process started with the Deployment's own
// NODE_OPTIONS (read from deploy/kubernetes, never written down here), a flood sent over
// keep-alive connections with a bounded number in flight, and what is watched meanwhile: the
// process's RSS (from /proc, sampled throughout) and /healthz on a connection of its own (every
// answer's latency, the largest kept).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Pool, request } from 'undici';
import { parseAllDocuments } from 'yaml';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service, ServiceOptions } from '../../bench/lib/processes.ts';

const DEPLOYMENT = fileURLToPath(new URL('../../deploy/kubernetes/base/deployment.yaml', import.meta.url));

export interface DeploymentLimits {
  /** The gateway container's NODE_OPTIONS, as the manifest sets it. */
  nodeOptions: string;
  /** Its --max-old-space-size, MiB. */
  heapMiB: number;
  /** The container's memory limit, MiB. */
  memoryLimitMiB: number;
  /** The liveness probe on /healthz: kubelet restarts the container after `failureThreshold` probes in a row over `timeoutMs`. */
  liveness: { timeoutMs: number; failureThreshold: number };
}

/** The gateway container's heap and memory limits from deploy/kubernetes/base/deployment.yaml. */
export function deploymentLimits(): DeploymentLimits {
  // biome-ignore lint/suspicious/noExplicitAny: an untyped manifest; the lookups below fail loudly on another shape.
  const deployment = parseAllDocuments(readFileSync(DEPLOYMENT, 'utf8'))[0]?.toJS() as any;
  const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'gateway');
  const nodeOptions = String(container.env.find((e: { name: string }) => e.name === 'NODE_OPTIONS').value);
  const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(nodeOptions)?.[1]);
  const limit = /^(\d+)Mi$/.exec(String(container.resources.limits.memory));
  if (!limit || !Number.isFinite(heapMiB)) throw new Error(`deployment.yaml: no heap or Mi memory limit (${nodeOptions})`);
  const probe = container.livenessProbe;
  if (probe?.httpGet?.path !== '/healthz') throw new Error('deployment.yaml: the gateway has no liveness probe on /healthz');
  // Kubernetes' own defaults where the manifest names none.
  const liveness = { timeoutMs: 1000 * Number(probe.timeoutSeconds ?? 1), failureThreshold: Number(probe.failureThreshold ?? 3) };
  return { nodeOptions, heapMiB, memoryLimitMiB: Number(limit[1]), liveness };
}

/** A gateway process under the Deployment's NODE_OPTIONS. */
export function startManifestGateway(sandboxUrl: string, env: Record<string, string> = {}, options: ServiceOptions = {}): Promise<Service> {
  return startGatewayProcess(
    sandboxUrl,
    { LOG_LEVEL: 'silent', GRAPHIQL_ENABLED: 'false', ...env, NODE_OPTIONS: deploymentLimits().nodeOptions },
    options,
  );
}

export function rssMiB(pid: number): number {
  const kb = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
  return Number(kb) / 1024;
}

export interface Watch {
  /**
   * Stops watching; the largest RSS and /healthz latency seen, the longest run of probes in a row
   * slower than `slowMs`, and the probes that did not answer 200.
   */
  stop(): Promise<{ maxRssMiB: number; healthzMaxMs: number; healthzProbes: number; longestSlowRun: number; healthzFailures: string[] }>;
}

/**
 * Samples the process's RSS every 50 ms and asks /healthz one request after another on a
 * connection of its own, until stopped.
 */
export function watchProcess(pid: number, origin: string, slowMs = deploymentLimits().liveness.timeoutMs): Watch {
  let maxRssMiB = rssMiB(pid);
  const rssTimer = setInterval(() => {
    maxRssMiB = Math.max(maxRssMiB, rssMiB(pid));
  }, 50);
  const health = new Pool(origin, { connections: 1 });
  let stopped = false;
  let healthzMaxMs = 0;
  let healthzProbes = 0;
  let slowRun = 0;
  let longestSlowRun = 0;
  const healthzFailures: string[] = [];
  const probing = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const res = await health.request({ path: '/healthz', method: 'GET', headersTimeout: 10_000, bodyTimeout: 10_000 });
        await res.body.dump();
        if (res.statusCode !== 200) healthzFailures.push(String(res.statusCode));
      } catch (error) {
        healthzFailures.push(String(error));
      }
      const tookMs = performance.now() - started;
      healthzMaxMs = Math.max(healthzMaxMs, tookMs);
      slowRun = tookMs > slowMs ? slowRun + 1 : 0;
      longestSlowRun = Math.max(longestSlowRun, slowRun);
      healthzProbes += 1;
      // One probe every 20 ms at most, as a probe loop would; the wait ends on its own, nothing waits on it.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearInterval(rssTimer);
      await probing;
      await health.close();
      maxRssMiB = Math.max(maxRssMiB, rssMiB(pid));
      return { maxRssMiB, healthzMaxMs: Math.round(healthzMaxMs), healthzProbes, longestSlowRun, healthzFailures };
    },
  };
}

export interface FloodOutcome {
  sent: number;
  /** Answers `accept` refused, with the first few of them. */
  failed: number;
  failures: string[];
}

/**
 * POSTs `body(i)` for i in [0, count) to `url` over `concurrency` keep-alive connections, one
 * request in flight on each, and checks every answer with `accept`.
 */
export async function flood(
  url: string,
  options: {
    count: number;
    concurrency: number;
    headers: Record<string, string>;
    body(index: number): string;
    accept(status: number, text: string, index: number): boolean;
  },
): Promise<FloodOutcome> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: options.concurrency, pipelining: 1 });
  const outcome: FloodOutcome = { sent: 0, failed: 0, failures: [] };
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.count) {
          const index = next++;
          const res = await pool.request({
            path: target.pathname,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...options.headers },
            body: options.body(index),
          });
          const text = await res.body.text();
          outcome.sent += 1;
          if (!options.accept(res.statusCode, text, index)) {
            outcome.failed += 1;
            if (outcome.failures.length < 3) outcome.failures.push(`${index}: ${res.statusCode} ${text.slice(0, 300)}`);
          }
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return outcome;
}

/** One GraphQL POST; the parsed answer. */
export async function graphql<T>(url: string, apikey: string, query: string): Promise<{ status: number; data?: T; errors?: unknown[] }> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey },
    body: JSON.stringify({ query }),
  });
  const body = (await res.body.json()) as { data?: T; errors?: unknown[] };
  return { status: res.statusCode, ...body };
}
