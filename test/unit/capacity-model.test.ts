// The capacity model (scripts/capacity/, docs/capacity.md): its arithmetic on small figures of the
// test's own, its reading of the manifests, and its inputs against the bench results they quote.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  capacityRows,
  exchangesPerHourPerReplica,
  firstLimit,
  mixFigures,
  mixLimits,
  workloadCpuMs,
} from '../../scripts/capacity/model.ts';
import type { CapacityInputs, DeploymentLimits } from '../../scripts/capacity/model.ts';
import { cpuCores, readCapacityInputs, readDeploymentLimits } from '../../scripts/capacity/read-inputs.ts';
import { renderCapacityTables } from '../../scripts/capacity/render.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEPLOYMENT: DeploymentLimits = { cpuLimitCores: 1, targetUtilisation: 0.5, minReplicas: 3, maxReplicas: 10 };
const none = { cache: 0, idempotency: 0 };

function inputs(mixes: CapacityInputs['mixes'], loads = [1000]): CapacityInputs {
  return {
    loads,
    workloads: {
      ordersList: {
        label: 'list',
        gatewayCpuMs: 1,
        pharmaoneCalls: 1,
        redisOps: { cache: 1, idempotency: 0 },
        redisCpuMs: 0.1,
        source: '',
      },
      detail45: {
        label: 'detail',
        gatewayCpuMs: 10,
        pharmaoneCalls: 10,
        redisOps: { cache: 1, idempotency: 0 },
        redisCpuMs: 0.1,
        source: '',
      },
      mobileOrders: { label: 'mobile', gatewayCpuMs: null, pharmaoneCalls: 4, redisOps: none, redisCpuMs: 0, source: '' },
      keyedWrite: {
        label: 'write',
        gatewayCpuMs: 2,
        pharmaoneCalls: 1,
        redisOps: { cache: 1, idempotency: 3 },
        redisCpuMs: 0.4,
        source: '',
      },
    },
    mixes,
    upstream: { latencyMs: 20, connectionsPerReplica: 100, source: '' },
    tokens: { lifetimeSeconds: 3600, refreshMarginSeconds: 60, source: '' },
    feed: { pollMs: 5000, source: '' },
    redis: { coresPerInstance: 1, source: '' },
  };
}

describe('the capacity model', () => {
  it('derives a workload without a CPU figure from the per-call cost between the list page and the detail read', () => {
    // 1 ms for 1 call, 10 ms for 10: 1 ms per further call, so 4 calls cost 4 ms.
    expect(workloadCpuMs(inputs({})).mobileOrders).toBe(4);
  });

  it('weights a mix by its shares, and spreads Redis CPU over the instances by their operations', () => {
    const [mix] = mixFigures(inputs({ m: { ordersList: 0.5, keyedWrite: 0.5 } }));
    expect(mix?.mix).toBe('m');
    expect(mix?.cpuMs).toBe(1.5);
    expect(mix?.pharmaoneCalls).toBe(1);
    expect(mix?.redisOps).toEqual({ cache: 1, idempotency: 1.5 });
    // The write's 0.4 ms over its 4 operations: 0.1 to the cache, 0.3 to idempotency; half of each.
    expect(mix?.redisCpuMs.cache).toBeCloseTo(0.05 + 0.05, 12);
    expect(mix?.redisCpuMs.idempotency).toBeCloseTo(0.15, 12);
  });

  it.each([
    [{ ordersList: 0.5 }, /add up to 0.5/],
    [{ ordersList: 0.5, keyedWrite: 0.6 }, /add up to 1.1/],
    [{ ordersList: 1, nothing: 0 }, /unknown workload "nothing"/],
  ])('refuses the mix %j', (mix, message) => {
    expect(() => mixFigures(inputs({ m: mix }))).toThrow(message);
  });

  it.each([
    // rps, replicas: 1 ms per request, 0.5 core per replica → 500 requests/s each, at least 3.
    [100, 3],
    [1500, 3],
    [1501, 4],
    [2000, 4],
    [10_000, 20],
  ])('at %i requests/s of 1 ms plans %i replicas', (rps, replicas) => {
    const [row] = capacityRows(inputs({ m: { ordersList: 1 } }, [rps]), DEPLOYMENT);
    expect(row?.replicas).toBe(replicas);
    expect(row?.pharmaoneCallsPerSecond).toBe(rps);
    expect(row?.redisOpsPerSecond).toEqual({ cache: rps, idempotency: 0 });
  });

  it('names the limit a growing load reaches first', () => {
    // 10,000 requests/s: 20 replicas for 10 allowed (200 %), Redis cache 1 core (100 %),
    // 10,000 calls/s over 20 replicas × 20 ms = 10 connections of 100 (10 %).
    const [row] = capacityRows(inputs({ m: { ordersList: 1 } }, [10_000]), DEPLOYMENT);
    expect(row && firstLimit(row)).toEqual({ limit: 'replicas (HPA max 10)', use: 2 });
    expect(row?.limits.map((limit) => limit.use)).toEqual([2, 1, 0, 0.1]);
    expect(mixLimits(inputs({ m: { ordersList: 1 } }), DEPLOYMENT)).toEqual([
      { mix: 'm', maxReplicasAt: 5000, redisFullAt: { cache: 10_000, idempotency: Number.POSITIVE_INFINITY }, connectionsAtCpuTarget: 0.1 },
    ]);
  });

  it('counts token exchanges per replica, the refresh margin capped at a quarter of the lifetime', () => {
    expect(exchangesPerHourPerReplica({ lifetimeSeconds: 3600, refreshMarginSeconds: 60, source: '' })).toBeCloseTo(3600 / 3540, 12);
    expect(exchangesPerHourPerReplica({ lifetimeSeconds: 120, refreshMarginSeconds: 60, source: '' })).toBe(40);
    const [row] = capacityRows(inputs({ m: { ordersList: 1 } }, [10_000]), DEPLOYMENT);
    expect(row?.tokenExchangesPerHourPerCredential).toBeCloseTo((20 * 3600) / 3540, 12);
  });

  it.each([
    ['1', 1],
    ['500m', 0.5],
    ['2.5', 2.5],
    [2, 2],
  ])('reads the CPU quantity %j as %f cores', (quantity, cores) => {
    expect(cpuCores(quantity)).toBe(cores);
  });

  it.each(['', 'm', 'one', '-1', '0'])('refuses the CPU quantity %j', (quantity) => {
    expect(() => cpuCores(quantity)).toThrow(/not a CPU quantity/);
  });
});

describe('docs/capacity.md and its inputs', () => {
  it("reads the gateway container's CPU limit and the HPA's target and bounds", async () => {
    expect(await readDeploymentLimits(root)).toEqual({ cpuLimitCores: 1, targetUtilisation: 0.7, minReplicas: 3, maxReplicas: 12 });
  });

  it('holds the tables the script prints for the committed inputs and manifests', async () => {
    const tables = renderCapacityTables(await readCapacityInputs(root), await readDeploymentLimits(root));
    expect(readFileSync(join(root, 'docs/capacity.md'), 'utf8')).toContain(`\n\n${tables}\n\n`);
  });

  it('quotes each measured figure as bench/RESULTS.md states it', async () => {
    const results = readFileSync(join(root, 'bench/RESULTS.md'), 'utf8');
    const model = await readCapacityInputs(root);
    const spelled = (value: number) => [String(value), value.toFixed(2), value.toFixed(3)];
    for (const [name, workload] of Object.entries(model.workloads)) {
      for (const value of [workload.gatewayCpuMs, workload.redisCpuMs]) {
        if (value === null || value === 0) continue;
        expect(
          spelled(value).some((text) => results.includes(text) && workload.source.includes(text)),
          `${name}: ${value}`,
        ).toBe(true);
      }
      expect(workload.source, name).toMatch(/bench\/RESULTS\.md/);
    }
  });
});
