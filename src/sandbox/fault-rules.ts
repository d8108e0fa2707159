// The fault knobs: what a rule may ask (FaultRule, CraftedAnswer) and their validation, for rules
// that come as JSON (SANDBOX_FAULTS, PUT /_sandbox/faults). What a rule does to a call is
// ./faults.ts.

export type FaultTiming = 'before' | 'after';

export interface FaultRule {
  /**
   * A route template, with or without a method: "GET /api/v2/public/orgs/{org}/orders/{id}"
   * or "/api/v2/public/orgs/{org}/orders/{id}" (any method). Matches the call log's `route`.
   */
  route?: string;
  /** HTTP method, e.g. "POST". */
  method?: string;
  /** Prefix of the concrete path, e.g. "/api/v2/public/orgs/org2/". */
  pathPrefix?: string;
  /** Regular expression (source text) tested against the concrete path. */
  pathPattern?: string;

  /** Added before the call is handled. */
  latencyMs?: number;
  /** Uniform extra latency in [0, jitterMs). */
  jitterMs?: number;
  /** Probability of answering errorStatus instead of (or, with when: 'after', after) handling the call. */
  errorRate?: number;
  /** Default 503. */
  errorStatus?: number;
  /** Probability of answering 429 with Retry-After (always before handling: a rate limiter never runs the handler). */
  rateLimitRate?: number;
  /** Default 1. */
  retryAfterSeconds?: number;
  /** Probability of destroying the connection instead of answering. */
  resetRate?: number;
  /** Probability of never answering (until the client gives up or the sandbox closes). */
  hangRate?: number;
  /**
   * For error, reset and hang: 'before' (default) fails without running the handler; 'after'
   * runs it first, so the write happened but the client does not learn about it.
   */
  when?: FaultTiming;
  /** Applies to the next N matching calls only, then the rule expires. */
  times?: number;
  /** Only calls addressed to this org (the path's org, or the shop's org on shop proxies). */
  org?: string;
  /** Answer this instead of handling the call (nothing changes in the sandbox). */
  respond?: CraftedAnswer;
  /** Handle the call, then claim this `pagination.total` in the answer. */
  paginationTotal?: number;
  /** Token exchange: handle it, then hand out a token whose claims are changed (null removes a claim; the signature no longer matches). */
  tokenClaims?: Record<string, unknown>;
  /** Token exchange: handle it, then answer this `expires_in` (the token itself is unchanged). */
  expiresIn?: number;
}

/** A crafted answer: what a broken or hostile upstream might send. */
export interface CraftedAnswer {
  /** Default 200. */
  status?: number;
  /** Default `application/json`. */
  contentType?: string;
  /** Sent as is when a string (e.g. truncated JSON, HTML), as JSON otherwise; default empty. */
  body?: unknown;
  /** Instead of `body`: this many bytes of a JSON array that never ends, streamed without a content-length. */
  bodyBytes?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export class FaultRuleError extends Error {
  override name = 'FaultRuleError';
}

const RULE_KEYS = new Set([
  'route',
  'method',
  'pathPrefix',
  'pathPattern',
  'latencyMs',
  'jitterMs',
  'errorRate',
  'errorStatus',
  'rateLimitRate',
  'retryAfterSeconds',
  'resetRate',
  'hangRate',
  'when',
  'times',
  'org',
  'respond',
  'paginationTotal',
  'tokenClaims',
  'expiresIn',
]);

const RESPOND_KEYS = new Set(['status', 'contentType', 'body', 'bodyBytes', 'headers']);
/** The largest crafted body the sandbox will stream (it never holds it in memory). */
const MAX_CRAFTED_BYTES = 1024 * 1024 * 1024;

/** Validates rules from JSON (SANDBOX_FAULTS, PUT /_sandbox/faults); typos are errors, not no-ops. */
export function parseFaultRules(value: unknown): FaultRule[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((rule, index) => parseFaultRule(rule, `rule ${index}`));
}

function parseFaultRule(value: unknown, where: string): FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FaultRuleError(`${where}: must be an object`);
  const rule = value as Record<string, unknown>;
  for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) throw new FaultRuleError(`${where}: unknown key "${key}"`);
  for (const key of ['route', 'method', 'pathPrefix', 'pathPattern'] as const) {
    if (rule[key] !== undefined && typeof rule[key] !== 'string') throw new FaultRuleError(`${where}: ${key} must be a string`);
  }
  if (typeof rule.pathPattern === 'string') {
    try {
      new RegExp(rule.pathPattern);
    } catch {
      throw new FaultRuleError(`${where}: pathPattern is not a valid regular expression`);
    }
  }
  for (const key of ['latencyMs', 'jitterMs', 'retryAfterSeconds'] as const) {
    const number = rule[key];
    if (number !== undefined && (typeof number !== 'number' || !Number.isFinite(number) || number < 0)) {
      throw new FaultRuleError(`${where}: ${key} must be a number ≥ 0`);
    }
  }
  for (const key of ['errorRate', 'rateLimitRate', 'resetRate', 'hangRate'] as const) {
    const rate = rule[key];
    if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) {
      throw new FaultRuleError(`${where}: ${key} must be a probability between 0 and 1`);
    }
  }
  const status = rule.errorStatus;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)) {
    throw new FaultRuleError(`${where}: errorStatus must be an HTTP status 400–599`);
  }
  if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after') {
    throw new FaultRuleError(`${where}: when must be "before" or "after"`);
  }
  if (rule.org !== undefined && typeof rule.org !== 'string') throw new FaultRuleError(`${where}: org must be a string`);
  for (const key of ['paginationTotal', 'expiresIn'] as const) {
    const number = rule[key];
    if (number !== undefined && (typeof number !== 'number' || !Number.isFinite(number) || number < 0)) {
      throw new FaultRuleError(`${where}: ${key} must be a number ≥ 0`);
    }
  }
  if (
    rule.tokenClaims !== undefined &&
    (typeof rule.tokenClaims !== 'object' || rule.tokenClaims === null || Array.isArray(rule.tokenClaims))
  ) {
    throw new FaultRuleError(`${where}: tokenClaims must be an object`);
  }
  if (rule.respond !== undefined) parseCrafted(rule.respond, `${where}: respond`);
  const times = rule.times;
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) {
    throw new FaultRuleError(`${where}: times must be a positive integer`);
  }
  return structuredClone(rule) as FaultRule;
}

function parseCrafted(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FaultRuleError(`${where} must be an object`);
  const crafted = value as Record<string, unknown>;
  for (const key of Object.keys(crafted)) if (!RESPOND_KEYS.has(key)) throw new FaultRuleError(`${where}: unknown key "${key}"`);
  const { status, contentType, bodyBytes, headers } = crafted;
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) {
    throw new FaultRuleError(`${where}: status must be an HTTP status 200–599`);
  }
  if (contentType !== undefined && typeof contentType !== 'string') throw new FaultRuleError(`${where}: contentType must be a string`);
  if (
    bodyBytes !== undefined &&
    (typeof bodyBytes !== 'number' || !Number.isInteger(bodyBytes) || bodyBytes < 0 || bodyBytes > MAX_CRAFTED_BYTES)
  ) {
    throw new FaultRuleError(`${where}: bodyBytes must be an integer from 0 to ${MAX_CRAFTED_BYTES}`);
  }
  if (
    headers !== undefined &&
    (typeof headers !== 'object' || headers === null || Object.values(headers).some((h) => typeof h !== 'string'))
  ) {
    throw new FaultRuleError(`${where}: headers must map names to strings`);
  }
}
