// Fair use per client (issue 27), over real HTTP against the sandbox: one org's two clients, one
// flooding; an operation estimated high but cheap, and one whose retries cost more than its
// estimate, each charged what it really cost; the RateLimit fields; usage per client in the
// metrics and the log line. (Every transport refusing alike: the admission matrix, rule
// client-quota. Three replicas on one Redis, and Redis down: test/fleet/client-quota-fleet.test.ts.)
//
// Timing-independent: the window is a day, so a bucket refills under 0.05 calls per minute of
// test, and each number asserted is a count of calls or answers.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { connectWs, waitFor } from '../feed/feed-clients.ts';
import type { GraphqlResponse } from '../support/gateway.ts';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';

const CLIENT_QUOTA = 40;
const ORG_QUOTA = 1_000;
const ROOMY = 1_000;
const stack = stackFixture({
  env: {
    QUOTA_CLIENT_CALLS: String(CLIENT_QUOTA),
    QUOTA_ORG_CALLS: String(ORG_QUOTA),
    QUOTA_WINDOW_SECONDS: '86400',
    QUOTA_CLIENT_OVERRIDES: `cheap=${ROOMY},retrying=${ROOMY},shut-out=0`,
    QUOTA_CLIENT_LABELS: '4',
  },
});

/** Estimated at 2 (GET /shops and the org's token); 1 call once the gateway holds the token. */
const SHOPS = '{ org(id: "org1") { shops { id } } }';
/** Estimated at 50 details, the list and the token; the sandbox has far fewer cancelled orders. */
const FEW_CANCELLED = '{ org(id: "org1") { orders(first: 50, filter: { status: CANCELLED }) { nodes { items { name } } } } }';
const SHOPS_ROUTE = 'GET /api/v2/public/orgs/{org}/shops';

const as = (client: string, query = SHOPS) => stack.gql(query, undefined, { headers: { 'graphql-client-name': client } });

/** What the client's bucket holds after this answer (its RateLimit field). */
function clientRemaining(res: GraphqlResponse<unknown>): number {
  const field = String(res.headers.ratelimit);
  const match = /"client";r=(\d+);t=\d+/.exec(field);
  if (!match) throw new Error(`no client policy in RateLimit: ${field}`);
  return Number(match[1]);
}

async function metric(name: string, client: string): Promise<number> {
  const text = await (await request(`${stack.gateway.listenUrl}/metrics`)).body.text();
  return Number(new RegExp(`^${name}\\{client="${client}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

describe('two clients of one org, one flooding', () => {
  it('refuses the flooder at its quota while the quiet client gets every answer, and PharmaOne sees no 429', async () => {
    await as('warm-up');
    stack.sandbox.calls.clear();
    const flooder: Array<GraphqlResponse<unknown>> = [];
    const quiet: Array<GraphqlResponse<unknown>> = [];
    for (let wave = 0; wave < 100; wave++) {
      const sent = await Promise.all(Array.from({ length: 5 }, () => as('flooder')));
      flooder.push(...sent);
      quiet.push(await as('quiet'));
      if (sent.every((res) => res.status === 429)) break;
    }
    expect(flooder.at(-1)?.status, 'the flood ends refused').toBe(429);
    expect(quiet.map((res) => [res.status, res.body.errors])).toEqual(quiet.map(() => [200, undefined]));
    // The flooder's calls: every admitted operation's one call, the quota's worth (the last call or so stays unspent).
    const flooderCalls = await metric('graphql_client_upstream_calls_total', 'flooder');
    expect(flooderCalls).toBeGreaterThanOrEqual(CLIENT_QUOTA * 0.9);
    expect(flooderCalls).toBeLessThanOrEqual(CLIENT_QUOTA);
    expect(flooder.filter((res) => res.status === 200)).toHaveLength(flooderCalls);
    expect(stack.sandbox.calls.list()).toHaveLength(flooderCalls + quiet.length);
    expect(stack.sandbox.calls.list().filter((call) => call.status === 429)).toEqual([]);
    expect(await metric('graphql_client_refusals_total', 'flooder')).toBe(flooder.filter((res) => res.status === 429).length);
    expect(await metric('graphql_client_refusals_total', 'quiet')).toBe(0);
  });

  it('answers a refusal with 429, RATE_LIMITED, retryAfterSeconds and the RateLimit fields', async () => {
    const res = await as('flooder');
    const retryAfter = Number(res.headers['retry-after']);
    expect(res.status).toBe(429);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(res.body).toEqual({
      errors: [
        {
          message: `This client (or its org) has used its quota of PharmaOne calls for now; try again in ${retryAfter} seconds.`,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
        },
      ],
    });
    expect(res.headers['ratelimit-policy']).toBe(`"client";q=${CLIENT_QUOTA};w=86400, "org";q=${ORG_QUOTA};w=86400`);
    expect(res.headers.ratelimit).toMatch(/^"client";r=[01];t=\d+, "org";r=\d+;t=\d+$/);
  });

  it('counts usage per client in the log line, and carries no RateLimit fields on an answer nothing counted', async () => {
    const free = await as('quiet', '{ __typename }');
    expect(free.status).toBe(200);
    expect(free.headers.ratelimit).toBeUndefined();
    expect(free.headers['ratelimit-policy']).toBeUndefined();
    const lines = stack.logs.filter((line) => line.msg === 'graphql operation' && line.client === 'quiet');
    expect(lines.length).toBeGreaterThan(1);
    expect(await metric('graphql_client_operations_total', 'quiet')).toBe(lines.length);
  });

  it('labels a client name beyond QUOTA_CLIENT_LABELS as other (the override names always have their own)', async () => {
    // Labelled so far: the overrides (cheap, retrying) and four seen first (warm-up, flooder, quiet, one more).
    for (const client of ['fourth', 'fifth', 'sixth']) expect((await as(client)).status).toBe(200);
    expect(await metric('graphql_client_operations_total', 'fourth')).toBe(1);
    expect(await metric('graphql_client_operations_total', 'other')).toBe(2);
    expect(await metric('graphql_client_operations_total', 'sixth')).toBe(0);
  });
});

describe('charged what it cost', () => {
  it('charges an operation estimated high but cheap in fact only the calls it made', async () => {
    const estimateOfShops = CLIENT_QUOTA - clientRemaining(await as('estimate-probe'));
    stack.sandbox.calls.clear();
    const cheap = await as('cheap', FEW_CANCELLED);
    const made = stack.sandbox.calls.list().length;
    const estimated = ROOMY - clientRemaining(cheap);
    expect(cheap.status).toBe(200);
    expect(made).toBeLessThan(estimated);
    // The next operation's answer shows the bucket after the settlement: what `cheap` made, not what it could have.
    const next = await as('cheap');
    expect(ROOMY - clientRemaining(next) - estimateOfShops).toBe(made);
  });

  it('charges an operation whose retries cost more than its estimate the retries', async () => {
    const estimateOfShops = ROOMY - clientRemaining(await as('retrying'));
    stack.sandbox.calls.clear();
    stack.sandbox.faults.set([{ route: SHOPS_ROUTE, errorRate: 1, errorStatus: 503, times: 2 }]);
    const retried = await as('retrying');
    stack.sandbox.faults.clear();
    const made = stack.sandbox.calls.list().length;
    expect(retried.status).toBe(200);
    expect(stack.sandbox.calls.list().map((call) => call.status)).toEqual([503, 503, 200]);
    expect(made).toBeGreaterThan(estimateOfShops);
    const before = clientRemaining(retried) + estimateOfShops;
    const next = await as('retrying');
    // Settled: the first operation's one call, the retried one's three, the next one's reservation.
    expect(before - clientRemaining(next) - estimateOfShops).toBe(made);
  });
});

describe('subscribes over graphql-sse', () => {
  it('answers a subscribe over graphql-sse with the same fields: 429 refused, RateLimit on the admitted stream', async () => {
    const subscribe = async (client: string) => {
      const aborted = new AbortController();
      const res = await request(stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', apikey: ORG1_KEY, 'graphql-client-name': client },
        body: JSON.stringify({ query: 'subscription { orderEvents(orgId: "org1") { type } }' }),
        signal: aborted.signal,
      });
      const { statusCode, headers } = res;
      aborted.abort();
      await res.body.dump().catch(() => undefined);
      return { statusCode, headers };
    };
    const refused = await subscribe('shut-out');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('86400');
    expect(refused.headers['ratelimit-policy']).toBe(`"client";q=0;w=86400, "org";q=${ORG_QUOTA};w=86400`);
    const admitted = await subscribe('sse-watcher');
    expect(admitted.statusCode).toBe(200);
    expect(admitted.headers['content-type']).toMatch(/^text\/event-stream/);
    // A subscribe costs its client one call.
    expect(admitted.headers.ratelimit).toMatch(new RegExp(`^"client";r=${CLIENT_QUOTA - 1};t=\\d+, "org";r=\\d+;t=\\d+$`));
    expect(admitted.headers['retry-after']).toBeUndefined();
  });
});

describe('a batch', () => {
  it('refuses the operation over quota in its slot, runs the free one beside it, and says when to come back', async () => {
    const res = await request(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: ORG1_KEY, 'graphql-client-name': 'shut-out' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: SHOPS }, { query: '{ __typename }' }]),
    });
    const slots = (await res.body.json()) as Array<{ data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> }>;
    expect(slots.map((slot) => slot.errors?.map((error) => error.extensions?.code) ?? slot.data)).toEqual([
      { __typename: 'Query' },
      ['RATE_LIMITED'],
      { __typename: 'Query' },
    ]);
    expect(res.headers['retry-after']).toBe('86400');
  });
});

describe('a shared feed', () => {
  const feedStack = stackFixture({
    // One poll when the feed starts, then none for an hour: the test counts that poll's calls.
    env: { QUOTA_ORG_CALLS: '100000', QUOTA_WINDOW_SECONDS: '86400', ORDER_FEED_POLL_MS: '3600000' },
  });
  const orgRemaining = (res: GraphqlResponse<unknown>) => Number(/"org";r=(\d+)/.exec(String(res.headers.ratelimit))?.[1]);
  const asClient = () => feedStack.gql(SHOPS, undefined, { headers: { 'graphql-client-name': 'beside-the-feed' } });

  it('charges its polls to the org once, whoever watches (and a subscribe one call)', async () => {
    // Settled at once: the first operation's calls (its token exchange and GET /shops) equal its estimate.
    const first = orgRemaining(await asClient());
    feedStack.sandbox.calls.clear();
    const watcher = connectWs(feedStack.gateway.url, { apikey: ORG1_KEY, 'graphql-client-name': 'watcher' });
    watcher.subscribe({ orgId: 'org1' });
    const polls = () => feedStack.sandbox.calls.list({ route: 'GET /api/v2/public/orgs/{org}/orders' });
    await waitFor(() => polls().length === 1 && polls()[0]?.status !== null, 'the feed’s first poll answered');
    // Each operation nets one call (2 reserved, 1 made); the poll's calls land whenever its scope is done.
    let charged: number | undefined;
    for (let k = 1; charged !== polls().length; k++) {
      if (k > 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const remaining = orgRemaining(await asClient());
      charged = first - 1 - (k - 1) - 2 - remaining;
      if (k > 500) break;
    }
    expect(charged).toBe(polls().length);
    await watcher.client.dispose();
  });
});
