// The capacity model of docs/capacity.md: from measured figures per workload (bench/capacity-inputs.json)
// and the Deployment's CPU limit and autoscaling target (deploy/kubernetes/base), what a mix of
// workloads needs at a given GraphQL request rate: gateway replicas, Redis operations and CPU per
// instance, PharmaOne calls, token exchanges, and which limit it reaches first. Pure: reading the
// files is ./read-inputs.ts, so tests can feed it figures of their own.

export type RedisInstance = 'cache' | 'idempotency';

export interface Workload {
  label: string;
  /** Gateway CPU per request; null: derived from the per-call cost (see workloadCpuMs). */
  gatewayCpuMs: number | null;
  pharmaoneCalls: number;
  redisOps: Record<RedisInstance, number>;
  /** redis-server CPU per request, spread over the instances in proportion to the operations. */
  redisCpuMs: number;
  source: string;
}

export interface CapacityInputs {
  loads: number[];
  workloads: Record<string, Workload>;
  /** Share of each workload in a mix; the shares of a mix add up to 1. */
  mixes: Record<string, Record<string, number>>;
  upstream: { latencyMs: number; connectionsPerReplica: number; source: string };
  tokens: { lifetimeSeconds: number; refreshMarginSeconds: number; source: string };
  feed: { pollMs: number; source: string };
  redis: { coresPerInstance: number; source: string };
}

export interface DeploymentLimits {
  /** resources.limits.cpu of the gateway container, in cores. */
  cpuLimitCores: number;
  /** The HPA's averageUtilization, as a fraction. */
  targetUtilisation: number;
  minReplicas: number;
  maxReplicas: number;
}

export interface MixFigures {
  mix: string;
  cpuMs: number;
  pharmaoneCalls: number;
  redisOps: Record<RedisInstance, number>;
  redisCpuMs: Record<RedisInstance, number>;
}

export interface CapacityRow {
  mix: string;
  requestsPerSecond: number;
  gatewayCores: number;
  /** Replicas the CPU needs (at least minReplicas), before the HPA's maximum. */
  replicas: number;
  pharmaoneCallsPerSecond: number;
  redisOpsPerSecond: Record<RedisInstance, number>;
  redisCores: Record<RedisInstance, number>;
  tokenExchangesPerHourPerCredential: number;
  /** Each limit's use (1 = reached); the largest is the one reached first as traffic grows. */
  limits: Array<{ limit: string; use: number }>;
}

const INSTANCES: readonly RedisInstance[] = ['cache', 'idempotency'];

/** A workload with no CPU figure of its own costs the list page plus its extra calls at the per-call rate. */
export function workloadCpuMs(inputs: CapacityInputs): Record<string, number> {
  const { ordersList: list, detail45: detail } = inputs.workloads;
  if (list?.gatewayCpuMs == null || detail?.gatewayCpuMs == null || detail.pharmaoneCalls <= list.pharmaoneCalls) {
    throw new Error('the model needs measured ordersList and detail45 workloads (detail45 with more PharmaOne calls)');
  }
  const perCallMs = (detail.gatewayCpuMs - list.gatewayCpuMs) / (detail.pharmaoneCalls - list.pharmaoneCalls);
  const cpu: Record<string, number> = {};
  for (const [name, workload] of Object.entries(inputs.workloads)) {
    cpu[name] = workload.gatewayCpuMs ?? list.gatewayCpuMs + (workload.pharmaoneCalls - list.pharmaoneCalls) * perCallMs;
  }
  return cpu;
}

/** Per-request figures of each mix: the shares' weighted sums. */
export function mixFigures(inputs: CapacityInputs): MixFigures[] {
  const cpu = workloadCpuMs(inputs);
  return Object.entries(inputs.mixes).map(([mix, shares]) => {
    const total = Object.values(shares).reduce((sum, share) => sum + share, 0);
    if (Math.abs(total - 1) > 1e-9) throw new Error(`the shares of mix "${mix}" add up to ${total}, not 1`);
    const figures: MixFigures = {
      mix,
      cpuMs: 0,
      pharmaoneCalls: 0,
      redisOps: { cache: 0, idempotency: 0 },
      redisCpuMs: { cache: 0, idempotency: 0 },
    };
    for (const [name, share] of Object.entries(shares)) {
      const workload = inputs.workloads[name];
      const cpuMs = cpu[name];
      if (!workload || cpuMs === undefined) throw new Error(`mix "${mix}" names an unknown workload "${name}"`);
      figures.cpuMs += share * cpuMs;
      figures.pharmaoneCalls += share * workload.pharmaoneCalls;
      const ops = workload.redisOps.cache + workload.redisOps.idempotency;
      for (const instance of INSTANCES) {
        figures.redisOps[instance] += share * workload.redisOps[instance];
        if (ops > 0) figures.redisCpuMs[instance] += (share * workload.redisCpuMs * workload.redisOps[instance]) / ops;
      }
    }
    return figures;
  });
}

/** Token exchanges one replica makes per hour for one credential: a JWT is replaced `margin` before it expires. */
export function exchangesPerHourPerReplica(tokens: CapacityInputs['tokens']): number {
  // The broker's margin is at most a quarter of the lifetime (TOKEN_REFRESH_MARGIN_SECONDS).
  const margin = Math.min(tokens.refreshMarginSeconds, tokens.lifetimeSeconds / 4);
  return 3600 / (tokens.lifetimeSeconds - margin);
}

export function capacityRows(inputs: CapacityInputs, deployment: DeploymentLimits): CapacityRow[] {
  const perReplicaCores = deployment.cpuLimitCores * deployment.targetUtilisation;
  const exchanges = exchangesPerHourPerReplica(inputs.tokens);
  return mixFigures(inputs).flatMap((figures) =>
    inputs.loads.map((rps): CapacityRow => {
      const gatewayCores = (rps * figures.cpuMs) / 1000;
      const replicas = Math.max(deployment.minReplicas, Math.ceil(gatewayCores / perReplicaCores - 1e-9));
      const calls = rps * figures.pharmaoneCalls;
      const redisOpsPerSecond = { cache: rps * figures.redisOps.cache, idempotency: rps * figures.redisOps.idempotency };
      const redisCores = { cache: (rps * figures.redisCpuMs.cache) / 1000, idempotency: (rps * figures.redisCpuMs.idempotency) / 1000 };
      // Little's law: calls in flight per replica = its calls per second × the call's latency.
      const connectionsInUse = (calls / replicas) * (inputs.upstream.latencyMs / 1000);
      return {
        mix: figures.mix,
        requestsPerSecond: rps,
        gatewayCores,
        replicas,
        pharmaoneCallsPerSecond: calls,
        redisOpsPerSecond,
        redisCores,
        tokenExchangesPerHourPerCredential: replicas * exchanges,
        limits: [
          // The CPU's need, not the minReplicas floor: the use that grows with the load.
          { limit: `replicas (HPA max ${deployment.maxReplicas})`, use: gatewayCores / perReplicaCores / deployment.maxReplicas },
          { limit: 'Redis cache CPU', use: redisCores.cache / inputs.redis.coresPerInstance },
          { limit: 'Redis idempotency CPU', use: redisCores.idempotency / inputs.redis.coresPerInstance },
          { limit: 'upstream connections per replica', use: connectionsInUse / inputs.upstream.connectionsPerReplica },
        ],
      };
    }),
  );
}

/** The limit with the largest use: the one a growing load reaches first. */
export function firstLimit(row: CapacityRow): { limit: string; use: number } {
  return row.limits.reduce((worst, limit) => (limit.use > worst.use ? limit : worst));
}

export interface MixLimits {
  mix: string;
  /** GraphQL requests/s at which the CPU needs the HPA's maximum of replicas. */
  maxReplicasAt: number;
  /** Requests/s at which an instance's one core is busy (Infinity: the mix sends it nothing). */
  redisFullAt: Record<RedisInstance, number>;
  /** Upstream connections in flight per replica when the replica runs at its CPU target, as a share of its pool. */
  connectionsAtCpuTarget: number;
}

/** Where each limit is reached, per mix: the load for those that grow with it, the share for those that do not. */
export function mixLimits(inputs: CapacityInputs, deployment: DeploymentLimits): MixLimits[] {
  const perReplicaCores = deployment.cpuLimitCores * deployment.targetUtilisation;
  return mixFigures(inputs).map((figures) => {
    const replicaRps = (perReplicaCores * 1000) / figures.cpuMs;
    const fullAt = (cpuMs: number) => (cpuMs > 0 ? (inputs.redis.coresPerInstance * 1000) / cpuMs : Number.POSITIVE_INFINITY);
    return {
      mix: figures.mix,
      maxReplicasAt: deployment.maxReplicas * replicaRps,
      redisFullAt: { cache: fullAt(figures.redisCpuMs.cache), idempotency: fullAt(figures.redisCpuMs.idempotency) },
      connectionsAtCpuTarget:
        (replicaRps * figures.pharmaoneCalls * inputs.upstream.latencyMs) / 1000 / inputs.upstream.connectionsPerReplica,
    };
  });
}
