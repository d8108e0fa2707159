// Usage per client (src/graphql/quota/client-identity.ts names them): operations, PharmaOne calls,
// errors and quota refusals, counted once per operation by the one report (./operation-report.ts),
// whether quotas are on or not. Client names are chosen by callers, so the label is bounded: every
// name with a quota override, then the first QUOTA_CLIENT_LABELS others this process sees; later
// names are `other`, and an operation without a client name is `unnamed`.
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

export interface ClientUsage {
  /** One operation of `clientName`: the PharmaOne calls it made and the error codes of its answer. */
  record(clientName: string | undefined, calls: number, errorCodes: readonly string[]): void;
  /** The metric label of a client name (the log line names the client by it too). */
  label(clientName: string | undefined): string;
}

export function createClientUsage(registry: Registry, options: { maxLabels: number; named: Iterable<string> }): ClientUsage {
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['client'] as const, registers: [registry] });
  const operations = counter(
    'graphql_client_operations_total',
    'GraphQL operations per client name (bounded: see README, Fair use per client).',
  );
  const calls = counter(
    'graphql_client_upstream_calls_total',
    'PharmaOne calls per client name: every attempt, retry and token exchange its operations made.',
  );
  const errors = counter('graphql_client_errors_total', 'Operations per client name answered with at least one error (refusals included).');
  const refusals = counter('graphql_client_refusals_total', 'Operations per client name refused by the client quota (RATE_LIMITED).');
  const labelled = new Set(options.named);
  let seen = 0;

  function label(clientName: string | undefined): string {
    if (clientName === undefined) return 'unnamed';
    if (labelled.has(clientName)) return clientName;
    if (seen >= options.maxLabels) return 'other';
    seen += 1;
    labelled.add(clientName);
    return clientName;
  }

  return {
    label,
    record(clientName, made, errorCodes) {
      const client = label(clientName);
      operations.inc({ client });
      if (made > 0) calls.inc({ client }, made);
      if (errorCodes.length > 0) errors.inc({ client });
      if (errorCodes.includes('RATE_LIMITED')) refusals.inc({ client });
    },
  };
}
