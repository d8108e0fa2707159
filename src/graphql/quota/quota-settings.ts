// Settings of the client quotas (./client-quota.ts). Off unless a quota is set: the right numbers
// are the PharmaOne contract's (what one integration key may call per minute), which only the
// operator knows; a default guessed here would either refuse real traffic on day one or protect
// nothing. Usage per client (metrics, the log line) is reported whether quotas are on or not.
import type { EnvReader } from '../../config/env.ts';

export interface QuotaSettings {
  /** PharmaOne calls per window for each client without an override; 0: no client quota. */
  clientCalls: number;
  /** PharmaOne calls per window for each org (all its clients together); 0: no org quota. */
  orgCalls: number;
  /** By client name: that client's quota (0 refuses every counted operation). */
  clientOverrides: ReadonlyMap<string, number>;
  /** By org id: that org's quota. */
  orgOverrides: ReadonlyMap<string, number>;
  windowMs: number;
  /** Redis unreachable: each replica's own buckets hold the quota divided by this. */
  expectedReplicas: number;
  /** Client names that get their own metric label (the first seen, and every override's); the rest are `other`. */
  maxClientLabels: number;
  /** Buckets one replica keeps in memory (without Redis, and as the fallback). */
  maxReplicaBuckets: number;
}

/** Client names as the header or token claim may carry them: short, plain, and nothing else. */
export const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,63}$/;
/** Org ids as overrides may name them (the upstream id grammar is stricter; this only bounds the setting). */
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const MAX_OVERRIDES = 200;
const MAX_CALLS = 100_000_000;

export function readQuotaSettings(read: EnvReader): QuotaSettings {
  return {
    clientCalls: read.int('QUOTA_CLIENT_CALLS', { fallback: 0, min: 0, max: MAX_CALLS }),
    orgCalls: read.int('QUOTA_ORG_CALLS', { fallback: 0, min: 0, max: MAX_CALLS }),
    clientOverrides: overrides(read, 'QUOTA_CLIENT_OVERRIDES', CLIENT_NAME),
    orgOverrides: overrides(read, 'QUOTA_ORG_OVERRIDES', ORG_ID),
    windowMs: read.durationMs('QUOTA_WINDOW_SECONDS', { fallback: 60, min: 1, max: 86_400 }),
    expectedReplicas: read.int('QUOTA_EXPECTED_REPLICAS', { fallback: 1, min: 1, max: 1_000 }),
    maxClientLabels: read.int('QUOTA_CLIENT_LABELS', { fallback: 20, min: 0, max: 500 }),
    maxReplicaBuckets: read.int('QUOTA_REPLICA_BUCKETS', { fallback: 10_000, min: 100, max: 1_000_000 }),
  };
}

/** `name=calls,name=calls`: each name once, within the grammar, at most MAX_OVERRIDES. */
function overrides(read: EnvReader, name: string, grammar: RegExp): ReadonlyMap<string, number> {
  const text = read.text(name);
  const found = new Map<string, number>();
  if (text === undefined) return found;
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean);
  if (pairs.length > MAX_OVERRIDES) read.problem(`${name} lists ${pairs.length} overrides; at most ${MAX_OVERRIDES}.`);
  for (const pair of pairs.slice(0, MAX_OVERRIDES)) {
    const match = /^([^=\s]+)\s*=\s*(\d{1,9})$/.exec(pair);
    const key = match?.[1];
    const calls = Number(match?.[2]);
    if (key === undefined || !grammar.test(key) || calls > MAX_CALLS) {
      read.problem(`${name}: "${pair.slice(0, 80)}" is not name=calls (a plain name, a whole number of calls up to ${MAX_CALLS}).`);
    } else if (found.has(key)) read.problem(`${name} names "${key}" twice.`);
    else found.set(key, calls);
  }
  return found;
}

/** Whether any quota is set: off, the admission reserves nothing and no answer carries RateLimit fields. */
export function quotasOn(settings: QuotaSettings): boolean {
  return settings.clientCalls > 0 || settings.orgCalls > 0 || settings.clientOverrides.size > 0 || settings.orgOverrides.size > 0;
}
