// Fault injection. Rules are checked in order and the first rule whose conditions match a call
// applies to it (later rules are not consulted). A rule may add latency and at most one failure:
// one seeded draw per call picks reset, hang, 429 or error by their rates (disjoint, in that
// order), so a run with the same seed and the same calls fails the same calls.
// A rule may also play a hostile PharmaOne: answer a crafted body, content type, status or size
// (`respond`, instead of handling the call), or handle the call and then lie about it
// (`paginationTotal`, and for the token exchange `tokenClaims` and `expiresIn`).
// The rules themselves and their validation are ./fault-rules.ts.

import { type CraftedAnswer, type FaultRule, type FaultTiming, parseFaultRules } from './fault-rules.ts';
import { mulberry32, type Random } from './prng.ts';

/** What a matched rule asks beyond latency and failure. */
export interface FaultCraft {
  respond?: CraftedAnswer;
  paginationTotal?: number;
  tokenClaims?: Record<string, unknown>;
  expiresIn?: number;
}

export type FaultAction =
  | { kind: 'error'; status: number; when: FaultTiming }
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  | { kind: 'reset'; when: FaultTiming }
  | { kind: 'hang'; when: FaultTiming };

export interface FaultDecision {
  delayMs: number;
  action: FaultAction | null;
  craft: FaultCraft | null;
}

export interface FaultCall {
  method: string;
  path: string;
  /** Template, e.g. "/api/v2/public/orgs/{org}/orders"; null when no route matched. */
  template: string | null;
  /** The org the call addresses, when known. */
  org?: string | null;
}

export interface FaultController {
  /** The active rules; `times` shows how many applications remain. */
  list(): FaultRule[];
  /** Replaces every rule. Throws FaultRuleError for an invalid rule. */
  set(rules: readonly FaultRule[]): void;
  /** Appends one rule (it applies only where earlier rules do not match). */
  add(rule: FaultRule): void;
  clear(): void;
}

export interface FaultInjector extends FaultController {
  decide(call: FaultCall): FaultDecision | null;
  /** Clears the rules and restarts the random sequence. */
  reset(): void;
}

function craftOf(rule: FaultRule): FaultCraft | null {
  const craft: FaultCraft = {};
  if (rule.respond !== undefined) craft.respond = rule.respond;
  if (rule.paginationTotal !== undefined) craft.paginationTotal = rule.paginationTotal;
  if (rule.tokenClaims !== undefined) craft.tokenClaims = rule.tokenClaims;
  if (rule.expiresIn !== undefined) craft.expiresIn = rule.expiresIn;
  return Object.keys(craft).length > 0 ? craft : null;
}

function matches(rule: FaultRule, call: FaultCall): boolean {
  if (rule.org !== undefined && rule.org !== call.org) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== call.method) return false;
  if (rule.pathPrefix !== undefined && !call.path.startsWith(rule.pathPrefix)) return false;
  if (rule.pathPattern !== undefined && !new RegExp(rule.pathPattern).test(call.path)) return false;
  if (rule.route !== undefined) {
    const [first, second] = rule.route.trim().split(/\s+/, 2);
    const wanted = second === undefined ? { method: undefined, template: first } : { method: first?.toUpperCase(), template: second };
    if (wanted.method !== undefined && wanted.method !== call.method) return false;
    if (wanted.template !== call.template) return false;
  }
  return true;
}

export function createFaultInjector(options: { seed: number; rules?: readonly FaultRule[] }): FaultInjector {
  let random: Random = mulberry32(options.seed);
  let rules: FaultRule[] = parseFaultRules(options.rules ?? []);

  function draw(rule: FaultRule): FaultAction | null {
    const when = rule.when ?? 'before';
    const candidates: [number, () => FaultAction][] = [
      [rule.resetRate ?? 0, () => ({ kind: 'reset', when })],
      [rule.hangRate ?? 0, () => ({ kind: 'hang', when })],
      [rule.rateLimitRate ?? 0, () => ({ kind: 'rate_limit', retryAfterSeconds: rule.retryAfterSeconds ?? 1 })],
      [rule.errorRate ?? 0, () => ({ kind: 'error', status: rule.errorStatus ?? 503, when })],
    ];
    if (candidates.every(([rate]) => rate === 0)) return null;
    let roll = random();
    for (const [rate, action] of candidates) {
      if (roll < rate) return action();
      roll -= rate;
    }
    return null;
  }

  return {
    decide(call) {
      const index = rules.findIndex((rule) => matches(rule, call));
      const rule = rules[index];
      if (rule === undefined) return null;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times === 0) rules.splice(index, 1);
      }
      const jitter = rule.jitterMs ? random() * rule.jitterMs : 0;
      return { delayMs: (rule.latencyMs ?? 0) + jitter, action: draw(rule), craft: craftOf(rule) };
    },
    list: () => structuredClone(rules),
    set(next) {
      rules = parseFaultRules(next);
    },
    add(rule) {
      rules.push(...parseFaultRules([rule]));
    },
    clear() {
      rules = [];
    },
    reset() {
      rules = [];
      random = mulberry32(options.seed);
    },
  };
}
