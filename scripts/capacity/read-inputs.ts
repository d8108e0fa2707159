// Reads the capacity model's inputs: the measured figures (bench/capacity-inputs.json) and the
// gateway's CPU limit and autoscaling bounds from the manifests, so a change to either changes
// the table (and `npm run codegen:check` fails until docs/capacity.md is regenerated).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { CapacityInputs, DeploymentLimits } from './model.ts';

export const CAPACITY_INPUTS_PATH = 'bench/capacity-inputs.json';

export async function readCapacityInputs(root: string): Promise<CapacityInputs> {
  return JSON.parse(await readFile(resolve(root, CAPACITY_INPUTS_PATH), 'utf8')) as CapacityInputs;
}

/** Kubernetes CPU quantities: "1", "1.5", "500m". */
export function cpuCores(quantity: string | number): number {
  const text = String(quantity);
  const cores = text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
  if (!Number.isFinite(cores) || cores <= 0) throw new Error(`not a CPU quantity: ${text}`);
  return cores;
}

export async function readDeploymentLimits(root: string): Promise<DeploymentLimits> {
  const deployment = parse(await readFile(resolve(root, 'deploy/kubernetes/base/deployment.yaml'), 'utf8'));
  const hpa = parse(await readFile(resolve(root, 'deploy/kubernetes/base/hpa.yaml'), 'utf8'));
  const container = deployment?.spec?.template?.spec?.containers?.find((c: { name?: string }) => c.name === 'gateway');
  const cpu = container?.resources?.limits?.cpu;
  const utilisation = hpa?.spec?.metrics?.find((m: { resource?: { name?: string } }) => m.resource?.name === 'cpu')?.resource?.target
    ?.averageUtilization;
  const { minReplicas, maxReplicas } = hpa?.spec ?? {};
  if (cpu === undefined || typeof utilisation !== 'number' || typeof minReplicas !== 'number' || typeof maxReplicas !== 'number') {
    throw new Error('deploy/kubernetes/base: the gateway container has no CPU limit or the HPA no CPU target and replica bounds');
  }
  return { cpuLimitCores: cpuCores(cpu), targetUtilisation: utilisation / 100, minReplicas, maxReplicas };
}
