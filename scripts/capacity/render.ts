// The capacity model's tables as Markdown: the block between the markers of docs/capacity.md
// (scripts/codegen/capacity-doc.ts) and what `npm run capacity` prints.
import { capacityRows, exchangesPerHourPerReplica, firstLimit, mixFigures, mixLimits, workloadCpuMs } from './model.ts';
import type { CapacityInputs, DeploymentLimits } from './model.ts';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percent = (use: number) => `${number(use * 100)} %`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderCapacityTables(inputs: CapacityInputs, deployment: DeploymentLimits): string {
  const cpu = workloadCpuMs(inputs);
  const workloads = table(
    ['workload', 'gateway CPU ms / request', 'PharmaOne calls', 'Redis ops (cache / idempotency)', 'redis-server CPU ms', 'source'],
    Object.entries(inputs.workloads).map(([name, w]) => [
      `\`${name}\`: ${w.label}`,
      `${number(cpu[name] ?? Number.NaN, 3)}${w.gatewayCpuMs === null ? ' (derived)' : ''}`,
      number(w.pharmaoneCalls),
      `${w.redisOps.cache} / ${w.redisOps.idempotency}`,
      number(w.redisCpuMs, 2),
      w.source,
    ]),
  );
  const mixes = table(
    ['mix', 'shares', 'gateway CPU ms / request', 'PharmaOne calls / request', 'Redis ops / request (cache / idempotency)'],
    mixFigures(inputs).map((m) => [
      m.mix,
      Object.entries(inputs.mixes[m.mix] ?? {})
        .map(([name, share]) => `${number(share * 100)} % \`${name}\``)
        .join(', '),
      number(m.cpuMs, 3),
      number(m.pharmaoneCalls, 2),
      `${number(m.redisOps.cache, 2)} / ${number(m.redisOps.idempotency, 2)}`,
    ]),
  );
  const capacity = table(
    [
      'mix',
      'GraphQL requests/s',
      'gateway CPU (cores)',
      'replicas',
      'PharmaOne calls/s',
      'Redis ops/s (cache / idempotency)',
      'Redis CPU, cores (cache / idempotency)',
      'token exchanges/h per credential',
      'limit reached first (use)',
    ],
    capacityRows(inputs, deployment).map((row) => {
      const first = firstLimit(row);
      return [
        row.mix,
        number(row.requestsPerSecond),
        number(row.gatewayCores, 1),
        number(row.replicas),
        number(row.pharmaoneCallsPerSecond),
        `${number(row.redisOpsPerSecond.cache)} / ${number(row.redisOpsPerSecond.idempotency)}`,
        `${number(row.redisCores.cache, 2)} / ${number(row.redisCores.idempotency, 2)}`,
        number(row.tokenExchangesPerHourPerCredential, 1),
        first.use > 1 ? `**${first.limit}: ${percent(first.use)}**` : `${first.limit}: ${percent(first.use)}`,
      ];
    }),
  );
  const rate = (rps: number) => (Number.isFinite(rps) ? `${number(rps)} requests/s` : 'never');
  const limits = table(
    [
      'mix',
      `HPA max (${deployment.maxReplicas} replicas) reached at`,
      'Redis cache CPU full at',
      'Redis idempotency CPU full at',
      'upstream connections in flight per replica at its CPU target',
    ],
    mixLimits(inputs, deployment).map((m) => [
      m.mix,
      rate(m.maxReplicasAt),
      rate(m.redisFullAt.cache),
      rate(m.redisFullAt.idempotency),
      `${percent(m.connectionsAtCpuTarget)} of ${number(inputs.upstream.connectionsPerReplica)}`,
    ]),
  );
  const intervalS = inputs.feed.pollMs / 1000;
  const feed = table(
    ['replicas watching the scope', 'GET /orders per minute', 'Redis ops/s (lease scripts + commit)'],
    [deployment.minReplicas, deployment.maxReplicas].map((replicas) => [
      number(replicas),
      number(60 / intervalS, 1),
      number((2 * replicas + 1) / intervalS, 1),
    ]),
  );
  const assumptions = [
    `- A replica plans for ${percent(deployment.targetUtilisation)} of its CPU limit of ${number(deployment.cpuLimitCores, 2)} core(s) (the HPA's target and the Deployment's limit); at least ${deployment.minReplicas} replicas, at most ${deployment.maxReplicas}.`,
    `- Redis: ${number(inputs.redis.coresPerInstance)} core per instance (${inputs.redis.source}).`,
    `- PharmaOne answers in ${number(inputs.upstream.latencyMs)} ms; each replica has ${number(inputs.upstream.connectionsPerReplica)} connections to it (${inputs.upstream.source}).`,
    `- Tokens: ${number(exchangesPerHourPerReplica(inputs.tokens), 3)} exchanges per hour per credential on each replica that serves it (${inputs.tokens.source}).`,
  ].join('\n');
  return [
    '### Measured inputs',
    workloads,
    '### Mixes',
    mixes,
    '### Capacity',
    capacity,
    '### Where each limit is reached',
    limits,
    '### Feed polls per scope (one org and credential with subscribers)',
    feed,
    '### Assumptions',
    assumptions,
  ].join('\n\n');
}
