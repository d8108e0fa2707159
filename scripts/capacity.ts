// `npm run capacity`: prints the capacity model's tables (docs/capacity.md) from the measured
// figures in bench/capacity-inputs.json and the Deployment's CPU limit and autoscaling target.
// `npm run codegen` writes the same tables into docs/capacity.md; `codegen:check` fails on drift.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapacityInputs, readDeploymentLimits } from './capacity/read-inputs.ts';
import { renderCapacityTables } from './capacity/render.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
console.log(renderCapacityTables(await readCapacityInputs(root), await readDeploymentLimits(root)));
