// deploy/kubernetes: every manifest parses and validates against Kubernetes' own schemas offline
// (kubernetes-models), and what a schema accepts but is wrong for this gateway fails here: probe
// paths the gateway does not serve (asked of a running gateway), ports that differ from PORT /
// METRICS_PORT, a grace period shorter than the drain, misspelled security fields, floating image
// tags, a heap larger than the memory limit, settings the gateway does not read.
import { execFileSync, spawn } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { configNamesRead } from '../support/config-names.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const K8S = `${root}deploy/kubernetes`;

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML under test; the assertions below check their shape.
type Obj = Record<string, any>;

interface Manifest {
  file: string;
  doc: Obj;
}

function parseYamlFile(path: string): Obj[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${relative(root, path)}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Obj;
  });
}

// Patches (`*-patch.yaml`) are partial by design; they are checked through the rendered overlay.
const manifests: Manifest[] = globSync('**/*.yaml', { cwd: K8S })
  .filter((file) => !file.endsWith('-patch.yaml'))
  .flatMap((file) =>
    parseYamlFile(`${K8S}/${file}`)
      .filter((doc) => doc.kind !== 'Kustomization')
      .map((doc) => ({ file, doc })),
  );
const inBase = (kind: string, name?: string): Obj => {
  const found = manifests.find(({ file, doc }) => file.startsWith('base/') && doc.kind === kind && (!name || doc.metadata?.name === name));
  if (!found) throw new Error(`base has no ${kind} ${name ?? ''}`);
  return found.doc;
};

/** kubernetes-models' class per kind; its constructor's data type is the kind's (the YAML is checked by validate()). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  NetworkPolicy,
  PodDisruptionBudget,
  Secret,
  Service,
  StatefulSet,
};

const deployment = inBase('Deployment');
const podSpec: Obj = deployment.spec.template.spec;
const gateway: Obj = podSpec.containers.find((c: Obj) => c.name === 'gateway');
const settings: Record<string, string> = inBase('ConfigMap', 'pharmaone-graph').data;

/** Property names of a Kubernetes type, read from kubernetes-models' compiled schema validator. */
function knownFields(schema: string): Set<string> {
  const source = readFileSync(fileURLToPath(import.meta.resolve(`kubernetes-models/_schemas/${schema}`)), 'utf8');
  return new Set([...source.matchAll(/parentDataProperty:"(\w+)"/g)].map((match) => match[1] ?? ''));
}

function unknownFields(object: Obj | undefined, schema: string): string[] {
  const known = knownFields(schema);
  return Object.keys(object ?? {}).filter((key) => !known.has(key));
}

/** "512Mi" → MiB. */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi|M|G)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  const value = Number(match[1]);
  return { Mi: value, Gi: value * 1024, M: (value * 1e6) / 2 ** 20, G: (value * 1e9) / 2 ** 20 }[match[2] as 'Mi' | 'Gi' | 'M' | 'G'];
}

function envOf(container: Obj): Record<string, string> {
  return Object.fromEntries((container.env ?? []).map((entry: Obj) => [entry.name, entry.value]));
}

function containerPort(name: string): number {
  const port = gateway.ports.find((p: Obj) => p.name === name);
  if (!port) throw new Error(`no container port named ${name}`);
  return port.containerPort;
}

describe('every manifest', () => {
  it('parses as YAML and has a kind we validate', () => {
    expect(manifests.length).toBeGreaterThan(8);
    expect(manifests.filter(({ doc }) => !MODELS[doc.kind]).map(({ file, doc }) => `${file}: ${doc.kind}`)).toEqual([]);
  });

  it("validates against Kubernetes' schemas (kubernetes-models, offline)", () => {
    const failures: string[] = [];
    for (const { file, doc } of manifests) {
      const Model = MODELS[doc.kind];
      try {
        new (Model as NonNullable<typeof Model>)(doc as never).validate();
      } catch (error) {
        failures.push(`${file} ${doc.kind}/${doc.metadata?.name}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('pins every image to a version (no latest, no bare name)', () => {
    const images = manifests.flatMap(({ doc }) => (doc.spec?.template?.spec?.containers ?? []).map((c: Obj) => String(c.image)));
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      expect(image).toMatch(/:[\w.-]+$|@sha256:[0-9a-f]{64}$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('spells every security, probe and container field the way Kubernetes does', () => {
    const problems: string[] = [];
    for (const { file, doc } of manifests) {
      const pod: Obj | undefined = doc.spec?.template?.spec;
      if (!pod) continue;
      const where = `${file} ${doc.kind}`;
      problems.push(...unknownFields(pod, 'IoK8sApiCoreV1PodSpec').map((f) => `${where} pod: ${f}`));
      problems.push(
        ...unknownFields(pod.securityContext, 'IoK8sApiCoreV1PodSecurityContext').map((f) => `${where} pod securityContext: ${f}`),
      );
      for (const constraint of pod.topologySpreadConstraints ?? []) {
        problems.push(...unknownFields(constraint, 'IoK8sApiCoreV1TopologySpreadConstraint').map((f) => `${where} topologySpread: ${f}`));
      }
      for (const container of pod.containers) {
        problems.push(...unknownFields(container, 'IoK8sApiCoreV1Container').map((f) => `${where} ${container.name}: ${f}`));
        problems.push(
          ...unknownFields(container.securityContext, 'IoK8sApiCoreV1SecurityContext').map(
            (f) => `${where} ${container.name} securityContext: ${f}`,
          ),
        );
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          problems.push(...unknownFields(container[probe], 'IoK8sApiCoreV1Probe').map((f) => `${where} ${container.name} ${probe}: ${f}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs every pod as a numeric non-root user, read-only, with every capability dropped', () => {
    for (const { doc } of manifests) {
      const pod: Obj | undefined = doc.spec?.template?.spec;
      if (!pod) continue;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(Number.isInteger(pod.securityContext.runAsUser)).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
        expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(container.securityContext.capabilities.add).toBeUndefined();
      }
    }
  });
});

describe('the gateway Deployment', () => {
  it('keeps capacity through rollouts and spreads across zones and hosts', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(3);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    const labels = deployment.spec.template.metadata.labels;
    expect(deployment.spec.selector.matchLabels).toEqual(labels);
    const spread = podSpec.topologySpreadConstraints as Obj[];
    expect(spread.map((c) => c.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const constraint of spread) expect(constraint.labelSelector.matchLabels).toEqual(labels);
  });

  it('mounts a writable emptyDir at /tmp (the root filesystem is read-only)', () => {
    const mount = gateway.volumeMounts.find((m: Obj) => m.mountPath === '/tmp');
    expect(podSpec.volumes.find((v: Obj) => v.name === mount?.name)?.emptyDir).toBeDefined();
  });

  it('gives V8 a heap that fits the memory limit with room for the rest of the process', () => {
    const limitMiB = mebibytes(gateway.resources.limits.memory);
    const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(envOf(gateway).NODE_OPTIONS ?? '')?.[1]);
    expect(gateway.resources.requests.memory).toBe(gateway.resources.limits.memory);
    expect(heapMiB).toBeGreaterThanOrEqual(limitMiB * 0.5);
    expect(heapMiB).toBeLessThanOrEqual(limitMiB * 0.8);
    expect(gateway.resources.requests.cpu).toBeDefined();
  });

  it('names container ports as the gateway listens: http = PORT, metrics = METRICS_PORT', () => {
    expect(containerPort('http')).toBe(Number(settings.PORT));
    expect(containerPort('metrics')).toBe(Number(settings.METRICS_PORT));
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(settings.METRICS_PORT);
  });

  it('waits for the whole drain: grace period ≥ SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS + a margin, with one drain window, not two', () => {
    const delayMs = Number(settings.SHUTDOWN_DELAY_MS);
    const graceMs = Number(settings.SHUTDOWN_GRACE_MS);
    expect(delayMs).toBeGreaterThan(0);
    expect(podSpec.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(delayMs + graceMs + 2_000);
    // A request started just before SIGTERM may run until its deadline.
    expect(graceMs).toBeGreaterThanOrEqual(Number(settings.OPERATION_DEADLINE_MS));
    // SHUTDOWN_DELAY_MS is the drain window; a preStop sleep would add a second one.
    expect(gateway.lifecycle?.preStop).toBeUndefined();
  });

  it('reads its settings from the ConfigMap and the optional Secret, ConfigMap first', () => {
    expect(gateway.envFrom).toEqual([
      { configMapRef: { name: 'pharmaone-graph' } },
      { secretRef: { name: 'pharmaone-graph-env', optional: true } },
    ]);
  });
});

describe('the ConfigMap', () => {
  it('is a configuration the gateway accepts as it stands', () => {
    expect(() => loadConfig(settings)).not.toThrow();
    expect(loadConfig(settings).pharmaone.mode).toBe('pharmaone');
  });

  it('holds only variables something reads (a misspelt name would be ignored silently)', () => {
    const overlay = parseYamlFile(`${K8S}/overlays/example/configmap-patch.yaml`)[0]?.data as Record<string, string>;
    const all = { ...settings, ...overlay };
    const read = configNamesRead(all);
    // Read outside loadConfig: by Node itself, and by the Redis stores (docs/deployment.md).
    const readElsewhere = new Set(['NODE_OPTIONS', 'REDIS_URL', 'REDIS_IDEMPOTENCY_URL']);
    expect(Object.keys(all).filter((name) => !read.has(name) && !readElsewhere.has(name))).toEqual([]);
  });

  it("with the example overlay, wants only the Secret's files, which exist in the cluster, not here", () => {
    const overlay = parseYamlFile(`${K8S}/overlays/example/configmap-patch.yaml`)[0]?.data as Record<string, string>;
    let problems: readonly string[] = [];
    try {
      loadConfig({ ...settings, ...overlay });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    expect(problems).toEqual(['PHARMAONE_ORG_KEYS_FILE (/etc/pharmaone-graph/secrets/org-keys.json) cannot be read.']);
    const mount = gateway.volumeMounts.find((m: Obj) => overlay.PHARMAONE_ORG_KEYS_FILE?.startsWith(`${m.mountPath}/`));
    expect(podSpec.volumes.find((v: Obj) => v.name === mount?.name)?.secret?.secretName).toBe('pharmaone-graph-files');
  });

  it('points REDIS_URL at a cache Redis (allkeys-lru) and REDIS_IDEMPOTENCY_URL at one that never evicts', () => {
    const redisArgs = (url: string | undefined): string[] => {
      const host = new URL(url ?? '').hostname;
      const set = manifests.find(({ doc }) => doc.kind === 'StatefulSet' && doc.spec.serviceName === host);
      expect(manifests.some(({ doc }) => doc.kind === 'Service' && doc.metadata.name === host)).toBe(true);
      return set?.doc.spec.template.spec.containers[0].args ?? [];
    };
    const policy = (args: string[]) => args[args.indexOf('--maxmemory-policy') + 1];
    expect(policy(redisArgs(settings.REDIS_URL))).toBe('allkeys-lru');
    expect(policy(redisArgs(settings.REDIS_IDEMPOTENCY_URL))).toBe('noeviction');
  });

  it('keeps idempotency records on disk, and asks for a replica before a write only where there is one', () => {
    const host = new URL(settings.REDIS_IDEMPOTENCY_URL ?? '').hostname;
    const set = manifests.find(({ doc }) => doc.kind === 'StatefulSet' && doc.spec.serviceName === host)?.doc;
    const args: string[] = set?.spec.template.spec.containers[0].args ?? [];
    const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    expect([value('--appendonly'), value('--appendfsync')]).toEqual(['yes', 'everysec']);
    // A single instance asking for a replica would refuse every write; a replicated one must ask.
    expect(Number(value('--min-replicas-to-write'))).toBe(set?.spec.replicas > 1 ? 1 : 0);
  });
});

describe('Service, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy', () => {
  const labels = deployment.spec.template.metadata.labels;

  it('exposes only the public port on the Service an Ingress uses; metrics on a Service of its own', () => {
    const service = inBase('Service', 'pharmaone-graph');
    expect(service.spec.selector).toEqual(labels);
    expect(service.spec.ports.map((p: Obj) => p.targetPort)).toEqual(['http']);
    const metrics = inBase('Service', 'pharmaone-graph-metrics');
    expect(metrics.spec.selector).toEqual(labels);
    expect(metrics.spec.ports.map((p: Obj) => p.targetPort)).toEqual(['metrics']);
  });

  it('lets voluntary disruptions take one replica at a time', () => {
    const pdb = inBase('PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(labels);
  });

  it('scales the Deployment on CPU, never below its replica count', () => {
    const hpa = inBase('HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(deployment.spec.replicas);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: expect.objectContaining({ type: 'Utilization' }) } },
    ]);
  });

  it('admits the GraphQL port from the cluster and the metrics port only from the monitoring namespace', () => {
    const policy = inBase('NetworkPolicy');
    expect(policy.spec.podSelector.matchLabels).toEqual(labels);
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      { ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      },
    ]);
  });
});

describe('probes against a running gateway with the ConfigMap settings', () => {
  let stack: TestStack;
  const origins: Record<string, string> = {};
  beforeAll(async () => {
    // The ConfigMap's settings, on free loopback ports and against the test sandbox.
    const { PHARMAONE_BASE_URL: _base, PHARMAONE_SHOP_URL_TEMPLATE: _shops, ...rest } = settings;
    stack = await startStack({
      env: { ...rest, PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    });
    origins.http = new URL(stack.gateway.url).origin;
    origins.metrics = stack.gateway.metricsUrl ?? '';
  });
  afterAll(() => stack.close());

  it.each(['startupProbe', 'livenessProbe', 'readinessProbe'])(
    '%s asks a path the gateway answers 200 on the named port',
    async (probe) => {
      const { path, port } = gateway[probe].httpGet as { path: string; port: string };
      expect(['/healthz', '/readyz']).toContain(path);
      const res = await request(`${origins[port]}${path}`);
      await res.body.dump();
      expect(res.statusCode).toBe(200);
    },
  );

  it('serves /metrics on the port Prometheus is told to scrape, and not on the public one', async () => {
    const path = deployment.spec.template.metadata.annotations['prometheus.io/path'];
    const scraped = await request(`${origins.metrics}${path}`);
    const exposed = await request(`${origins.http}${path}`);
    await Promise.all([scraped.body.dump(), exposed.body.dump()]);
    expect([scraped.statusCode, exposed.statusCode]).toEqual([200, 404]);
  });
});

describe('the image (Dockerfile)', () => {
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');

  it('runs as the numeric user the Deployment names', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe(`${podSpec.securityContext.runAsUser}:${podSpec.securityContext.runAsGroup}`);
  });

  it('HEALTHCHECK passes against a live gateway and fails against a closed port, without starting node', async () => {
    const line = /^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    const command = JSON.parse(line ?? '[]') as string[];
    expect(command[0]).not.toBe('node');
    const stack = await startStack();
    try {
      const run = (port: string) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(command[0] ?? 'false', command.slice(1), { env: { ...process.env, PORT: port }, stdio: 'ignore' });
          child.once('exit', (code) => resolve(code));
        });
      expect(await run(String(stack.gateway.port))).toBe(0);
      const closed = stack.gateway.port === 1 ? '2' : '1';
      expect(await run(closed)).not.toBe(0);
    } finally {
      await stack.close();
    }
  });
});

// kubectl is not a project dependency: where it is installed (CI images usually have it), the
// rendered overlays are validated too.
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!kubectl)('kustomize build (kubectl kustomize)', () => {
  it.each(['base', 'overlays/example', 'redis'])('renders %s into documents that validate', (dir) => {
    const rendered = execFileSync('kubectl', ['kustomize', `${K8S}/${dir}`], { encoding: 'utf8' });
    const docs = parseAllDocuments(rendered).map((doc) => doc.toJS() as Obj);
    expect(docs.length).toBeGreaterThan(1);
    for (const doc of docs) {
      const Model = MODELS[doc.kind];
      expect(Model, doc.kind).toBeDefined();
      new (Model as NonNullable<typeof Model>)(doc as never).validate();
    }
    if (dir === 'overlays/example') {
      expect(docs.every((doc) => doc.metadata.namespace === 'pharmaone-graph')).toBe(true);
      const config = docs.find((doc) => doc.kind === 'ConfigMap')?.data;
      expect(config).toMatchObject({ AUTH_MODE: 'bff', SHUTDOWN_DELAY_MS: settings.SHUTDOWN_DELAY_MS });
    }
  });
});
