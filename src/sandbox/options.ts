// The settings of `npm run sandbox` (docs/configuration.md, "Sandbox"), read through the gateway's
// environment parser: the same spelling of numbers and durations, every problem at once.
import type { EnvReader } from '../config/env.ts';
import { parseFaultRules, type FaultRule } from './fault-rules.ts';

export function readSandboxOptions(read: EnvReader) {
  const rules = read.attempt(() => {
    const raw = read.text('SANDBOX_FAULTS');
    return raw ? parseFaultRules(JSON.parse(raw) as unknown) : [];
  }, [] as FaultRule[]);
  const latencyMs = read.durationMs('SANDBOX_LATENCY_MS', { fallback: 0, min: 0, max: 600_000 });
  const jitterMs = read.durationMs('SANDBOX_JITTER_MS', { fallback: 0, min: 0, max: 600_000 });
  if (latencyMs > 0 || jitterMs > 0) rules.push({ latencyMs, jitterMs });
  const publicUrl = read.url('SANDBOX_PUBLIC_URL');
  return {
    port: read.int('SANDBOX_PORT', { fallback: 4010, min: 0, max: 65_535 }),
    host: read.text('SANDBOX_HOST', '127.0.0.1'),
    faults: rules,
    faultSeed: read.int('SANDBOX_FAULT_SEED', { fallback: 1, min: 0, max: 2 ** 32 - 1 }),
    tokenLifetimeSeconds: read.durationMs('SANDBOX_TOKEN_LIFETIME_SECONDS', { fallback: 3600, min: 1, max: 30 * 86_400 }) / 1000,
    ...(publicUrl ? { publicUrl } : {}),
  };
}
