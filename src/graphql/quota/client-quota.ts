// The client-quota rule, the last of the admission's list (../admission.ts): fair use per client,
// counted in PharmaOne calls. Each client (./client-identity.ts) and each org has a token bucket
// of calls per window (./quota-settings.ts); admission reserves the operation's estimate from both
// before anything runs, and once the answer is sent the request settles with the calls it really
// made (every attempt, retry and token exchange of its trace): what was not used goes back, what
// retries cost beyond the estimate is taken. An operation estimated at 0 calls reserves nothing
// (it costs PharmaOne nothing) but still settles whatever it did cost. A subscribe reserves
// SUBSCRIBE_CALLS from its client; the polls of the feed it watches are charged to the org.
//
// A refusal is RATE_LIMITED, HTTP 429, with `extensions.retryAfterSeconds`; the HTTP answer carries
// `Retry-After` and, on every answer that was counted, the `RateLimit-Policy` and `RateLimit`
// fields of the IETF HTTPAPI draft (draft-ietf-httpapi-ratelimit-headers): one policy per bucket,
// `"client"` and `"org"`, its quota `q` in PharmaOne calls per window `w` (seconds), what is left `r`
// and the seconds `t` until the bucket is full again.
import { GraphQLError } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from '../../auth/caller.ts';
import type { BucketSpec, QuotaBuckets, ReserveVerdict } from '../../stores/quota-buckets.ts';
import { ErrorCode } from '../errors.ts';
import { passThroughScopeId } from '../../auth/caller.ts';
import { clientNameOf, identifyClient, orgKeyOf } from './client-identity.ts';
import type { ClientIdentity } from './client-identity.ts';
import { quotasOn } from './quota-settings.ts';
import type { QuotaSettings } from './quota-settings.ts';

/** What a subscribe costs its client: admitting it starts or joins a feed whose polls the org pays. */
export const SUBSCRIBE_CALLS = 1;

/**
 * One request's account with the quotas, shared by every operation of a batch (Apollo runs them
 * on shallow copies of one context, which copy this reference).
 */
export interface QuotaTab {
  readonly client: ClientIdentity;
  /** The buckets that count this client; empty when quotas are off. */
  readonly buckets: readonly Policy[];
  /** Calls the request's admitted operations reserved, not yet settled. */
  reserved: number;
  /** The latest verdict, for the answer's RateLimit fields; undefined: nothing was counted. */
  verdict: ReserveVerdict | undefined;
  /** The longest wait any refused operation of the request was told (a batch may hold several): the answer's Retry-After. */
  retryAfterSeconds: number | undefined;
  settled: boolean;
}

interface Policy extends BucketSpec {
  /** The policy's name in the RateLimit fields. */
  name: 'client' | 'org';
}

export type ClientQuota = ReturnType<typeof createClientQuota>;

export function createClientQuota(settings: QuotaSettings, buckets: QuotaBuckets) {
  const on = quotasOn(settings);
  const { windowMs } = settings;

  function policiesOf(client: ClientIdentity): Policy[] {
    if (!on) return [];
    const clientCalls = (client.name === undefined ? undefined : settings.clientOverrides.get(client.name)) ?? settings.clientCalls;
    const orgCalls = (client.orgId === undefined ? undefined : settings.orgOverrides.get(client.orgId)) ?? settings.orgCalls;
    const clientOverridden = client.name !== undefined && settings.clientOverrides.has(client.name);
    const orgOverridden = client.orgId !== undefined && settings.orgOverrides.has(client.orgId);
    const policies: Policy[] = [];
    if (clientCalls > 0 || clientOverridden) policies.push({ name: 'client', key: client.clientKey, limit: clientCalls, windowMs });
    if (orgCalls > 0 || orgOverridden) policies.push({ name: 'org', key: client.orgKey, limit: orgCalls, windowMs });
    return policies;
  }

  /** A request's tab: who its client is and which buckets count it. */
  function tabFor(caller: Caller, headers: IncomingHttpHeaders): QuotaTab {
    const name = clientNameOf(caller, headers);
    // Quotas off: the name alone, for the usage metrics; no bucket key is worked out (two hashes per request).
    const client = on ? identifyClient(caller, name) : { name, clientKey: '', orgKey: '', orgId: undefined };
    return { client, buckets: policiesOf(client), reserved: 0, verdict: undefined, settled: false, retryAfterSeconds: undefined };
  }

  /** Reserves `cost` calls for one operation of the request; the refusal when a bucket cannot hold it. */
  async function admit(tab: QuotaTab, cost: number): Promise<GraphQLError | undefined> {
    if (tab.buckets.length === 0 || cost <= 0) return undefined;
    const closed = tab.buckets.find((policy) => policy.limit === 0);
    if (closed) {
      // A quota of 0 (an override shutting a client out) refuses without asking any store.
      tab.verdict = {
        admitted: false,
        retryAfterSeconds: Math.ceil(windowMs / 1000),
        buckets: tab.buckets.map(() => full(0)),
        source: 'replica',
      };
      return refuse(tab, tab.verdict.retryAfterSeconds);
    }
    // An operation costing more than a whole bucket waits for a full one instead of never running.
    const reserved = Math.min(cost, ...tab.buckets.map((policy) => policy.limit));
    const verdict = await buckets.reserve(tab.buckets, reserved);
    tab.verdict = verdict;
    if (!verdict.admitted) return refuse(tab, verdict.retryAfterSeconds);
    tab.reserved += reserved;
    return undefined;
  }

  /** Once the answer is sent: gives back what was reserved and not used, takes what was used beyond it. Once per request. */
  function settle(tab: QuotaTab, callsMade: number): void {
    if (tab.settled || tab.buckets.length === 0) return;
    tab.settled = true;
    const delta = tab.reserved - callsMade;
    if (delta !== 0) buckets.adjust(tab.verdict?.source ?? 'fleet', tab.buckets, delta);
  }

  /** The answer's RateLimit-Policy, RateLimit and (refused) Retry-After fields; none when nothing was counted. */
  function headers(tab: QuotaTab): Array<[string, string]> {
    const { verdict } = tab;
    if (verdict === undefined) return [];
    const windowSeconds = Math.ceil(windowMs / 1000);
    const fields: Array<[string, string]> = [
      ['ratelimit-policy', tab.buckets.map((policy) => `"${policy.name}";q=${policy.limit};w=${windowSeconds}`).join(', ')],
      [
        'ratelimit',
        tab.buckets
          .map((policy, i) => {
            const state = verdict.buckets[i] ?? full(policy.limit);
            return `"${policy.name}";r=${state.remaining};t=${state.resetSeconds}`;
          })
          .join(', '),
      ],
    ];
    if (tab.retryAfterSeconds !== undefined) fields.push(['retry-after', String(tab.retryAfterSeconds)]);
    return fields;
  }

  /**
   * A feed poll's calls, charged to the org its scope reads (never refused: the poll serves every
   * subscriber of the scope at once, so no one client pays for it). Pass-through: the org of the
   * scope's key; BFF: the scope's one org, the bucket of callers granted that org alone.
   */
  function chargeFeed(scope: { orgId: string; credential: string }, mode: 'pass-through' | 'bff', calls: number): void {
    if (!on || calls <= 0) return;
    const bff = mode === 'bff';
    const limit = (bff ? settings.orgOverrides.get(scope.orgId) : undefined) ?? settings.orgCalls;
    if (limit <= 0) return;
    const key = orgKeyOf(bff ? { granted: [scope.orgId] } : { scopeId: passThroughScopeId(scope.credential) });
    buckets.adjust('fleet', [{ key, limit, windowMs }], -calls);
  }

  return { on, tabFor, admit, settle, headers, chargeFeed };
}

/** The PharmaOne calls a request's trace records: every HTTP attempt (retries, token exchanges), not the cached lookups. */
export function callsMadeIn(trace: ReadonlyArray<{ cached: boolean }>): number {
  let calls = 0;
  for (const call of trace) if (!call.cached) calls += 1;
  return calls;
}

function refuse(tab: QuotaTab, retryAfterSeconds: number): GraphQLError {
  tab.retryAfterSeconds = Math.max(tab.retryAfterSeconds ?? 0, retryAfterSeconds);
  return rateLimited(retryAfterSeconds);
}

function full(remaining: number) {
  return { remaining, resetSeconds: 0 };
}

export function rateLimited(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(
    `This client (or its org) has used its quota of PharmaOne calls for now; try again in ${retryAfterSeconds} seconds.`,
    { extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds, http: { status: 429 } } },
  );
}
