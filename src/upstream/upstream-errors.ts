// How an upstream call can fail, as facts about the call. What a client is told about each is
// decided in one place only: src/upstream/classify.ts. These errors keep the upstream's error code
// and field names for that mapping, never its raw body, URL or token.

/** PharmaOne answered with a non-2xx status. */
export class UpstreamStatusError extends Error {
  readonly status: number;
  /** Route template, e.g. `GET /orders/{id}`: safe to log, carries no ids. */
  readonly route: string;
  /** The upstream's machine-readable `error` code, e.g. `invalid_transition`. */
  readonly upstreamCode: string | undefined;
  /** Field names a 400/422 named (`fields`), for userErrors. */
  readonly fields: string[];
  /** The scope a 403 `insufficient_scope` asked for. */
  readonly requiredScope: string | undefined;
  /** Seconds from a 429's `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    route: string;
    upstreamCode?: string | undefined;
    fields?: string[] | undefined;
    requiredScope?: string | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(`PharmaOne answered ${init.status} to ${init.route}`);
    this.name = 'UpstreamStatusError';
    this.status = init.status;
    this.route = init.route;
    this.upstreamCode = init.upstreamCode;
    this.fields = init.fields ?? [];
    this.requiredScope = init.requiredScope;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export type UnavailableReason =
  | 'connect'
  | 'timeout'
  | 'reset'
  | 'invalid_response'
  | 'aborted'
  /** The operation's deadline (OPERATION_DEADLINE_MS) passed. */
  | 'deadline'
  /** PharmaOne rate-limits this org/credential (429): its calls are refused locally until Retry-After. */
  | 'rate_limited'
  /** The answer was larger than UPSTREAM_MAX_BODY_BYTES; reading stopped there. */
  | 'too_large'
  /** Refused by the gateway: the origin's circuit breaker is open. */
  | 'circuit_open'
  /** Refused by the gateway: the org's predicted wait for a bulkhead slot would not fit (src/upstream/resilience/bulkhead.ts). */
  | 'overloaded';

/** No usable answer: refused, reset, timed out, or not JSON. */
export class UpstreamUnavailableError extends Error {
  readonly route: string;
  readonly reason: UnavailableReason;
  /**
   * Whether the request may have reached PharmaOne. A refused connection means it did not; a reset
   * or a timeout after sending means a write's outcome is unknown.
   */
  readonly mayHaveArrived: boolean;
  /** For `rate_limited`: seconds until PharmaOne accepts this org's calls again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    route: string;
    reason: UnavailableReason;
    mayHaveArrived: boolean;
    cause?: unknown;
    retryAfterSeconds?: number | undefined;
  }) {
    super(`PharmaOne unavailable (${init.reason}) for ${init.route}`, { cause: init.cause });
    this.name = 'UpstreamUnavailableError';
    this.route = init.route;
    this.reason = init.reason;
    this.mayHaveArrived = init.mayHaveArrived;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/**
 * A value that would go into an upstream URL breaks PharmaOne's grammar for it (src/upstream/upstream-ids.ts).
 * Raised before any upstream call, token exchange included. Names the argument, never the value.
 */
export class InvalidUpstreamInputError extends Error {
  readonly argument: string;
  readonly rule: 'id' | 'text';
  constructor(init: { argument: string; rule: 'id' | 'text' }) {
    super(
      init.rule === 'id'
        ? `${init.argument} is not a valid PharmaOne id (1–64 letters, digits, "_" or "-", starting with a letter or digit).`
        : `${init.argument} is too long.`,
    );
    this.name = 'InvalidUpstreamInputError';
    this.argument = init.argument;
    this.rule = init.rule;
  }
}

/** One operation used up an allowance every operation has; refused before the call that would exceed it. */
class OperationAllowanceSpentError extends Error {
  /** How many the operation was allowed. */
  readonly limit: number;
  constructor(name: string, message: string, limit: number) {
    super(message);
    this.name = name;
    this.limit = limit;
  }
}

/** One operation asked for more token exchanges than UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION. */
export class TokenExchangeLimitError extends OperationAllowanceSpentError {
  constructor(limit: number) {
    super('TokenExchangeLimitError', `operation reached its limit of ${limit} token exchanges`, limit);
  }
}

/** The operation already made as many PharmaOne calls as one operation may (UPSTREAM_CALL_BUDGET). */
export class UpstreamCallBudgetExceededError extends OperationAllowanceSpentError {
  constructor(budget: number) {
    super('UpstreamCallBudgetExceededError', `operation reached its budget of ${budget} upstream calls`, budget);
  }
}

/**
 * Refused before the exchange: keys PharmaOne has not accepted before have spent their budget of
 * refused exchanges (./unproven-keys.ts). Nothing was sent.
 */
export class UnprovenKeyBudgetError extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('the budget of token exchanges for unproven keys is spent');
    this.name = 'UnprovenKeyBudgetError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
