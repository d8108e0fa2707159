// Client quotas across a fleet (issue 27): three real gateway processes share one real
// redis-server, against one sandbox whose call log is PharmaOne's view. A client flooding the
// replicas in turn, or all at once, gets the calls of one quota fleet-wide (±10 %), not one per
// replica; with Redis stopped, each replica falls back to its share of the quota
// (QUOTA_EXPECTED_REPLICAS), neither refusing everyone nor lifting the limit.
//
// Timing-independent: the window is a day, so a bucket refills 0.2 calls per minute of test, and
// every count is of answers and calls, never of time.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import type { Sandbox } from '../support/gateway.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const QUOTA = 90;
/** One GET /shops: estimated at 2 (the shops and the org's token), 1 call once the replica holds the token. */
const SHOPS = '{ org(id: "org1") { shops { id } } }';

let redis: TestRedis;
let sandbox: Sandbox;
let replicas: Service[] = [];

beforeAll(async () => {
  redis = await startRedis();
  sandbox = await startSandbox({ port: 0 });
  const env = {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    GRAPHIQL_ENABLED: 'false',
    // A cached answer costs PharmaOne nothing, so it is charged nothing: every answer here must be a call.
    RESPONSE_CACHE_MB: '0',
    REDIS_COMMAND_TIMEOUT_MS: '200',
    QUOTA_CLIENT_CALLS: String(QUOTA),
    QUOTA_WINDOW_SECONDS: '86400',
    QUOTA_EXPECTED_REPLICAS: '3',
  };
  replicas = await Promise.all([0, 1, 2].map(() => startGatewayProcess(sandbox.url, env)));
  // Each replica exchanges its token once, for a client of its own, outside the counts below.
  await Promise.all(replicas.map((replica) => shops(replica, 'warm-up')));
}, 60_000);
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.kill()));
  await sandbox?.close();
  await redis?.stop();
});

interface Answer {
  status: number;
  code: unknown;
  retryAfter: string | undefined;
}

async function shops(replica: Service, client: string): Promise<Answer> {
  const res = await request(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key', 'graphql-client-name': client },
    body: JSON.stringify({ query: SHOPS }),
  });
  const body = (await res.body.json()) as { errors?: Array<{ extensions?: { code?: unknown } }> };
  const retryAfter = res.headers['retry-after'];
  return {
    status: res.statusCode,
    code: body.errors?.[0]?.extensions?.code,
    retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
  };
}

/** Sends waves of `perWave` requests spread over `targets` until a whole wave is refused; the answers. */
async function flood(targets: Service[], client: string, perWave: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let wave = 0; wave < 200; wave++) {
    const sent = await Promise.all(Array.from({ length: perWave }, (_, i) => shops(targets[i % targets.length] as Service, client)));
    answers.push(...sent);
    if (sent.every((answer) => answer.status === 429)) return answers;
  }
  throw new Error('the flood was never refused');
}

function expectRefusedOnly(answers: Answer[]): void {
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expect(answer).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: expect.stringMatching(/^[1-9]\d*$/) });
  }
}

describe('one quota for the whole fleet', () => {
  it('allows a client flooding the replicas in turn the calls of one quota, ±10 %', async () => {
    sandbox.calls.clear();
    const answers = await flood(replicas, 'in-turn', 1);
    const calls = sandbox.calls.list().length;
    expect(calls).toBeGreaterThanOrEqual(QUOTA * 0.9);
    expect(calls).toBeLessThanOrEqual(QUOTA * 1.1);
    // Each admitted operation made its one call; the refused made none.
    expect(answers.filter((answer) => answer.status === 200).length).toBe(calls);
    expectRefusedOnly(answers);
  });

  it('allows a client flooding every replica at once no more than one quota, ±10 %', async () => {
    sandbox.calls.clear();
    const answers = await flood(replicas, 'all-at-once', 12);
    const calls = sandbox.calls.list().length;
    expect(calls).toBeGreaterThanOrEqual(QUOTA * 0.9);
    expect(calls).toBeLessThanOrEqual(QUOTA * 1.1);
    expect(answers.filter((answer) => answer.status === 200).length).toBe(calls);
    expectRefusedOnly(answers);
    expect(sandbox.calls.list().filter((call) => call.status === 429)).toEqual([]);
  });
});

describe('Redis stopped', () => {
  it("falls back to each replica's share: a new client still gets answers, and at most a third of its quota per replica", async () => {
    await redis.stop();
    sandbox.calls.clear();
    const [first] = replicas;
    const answers = await flood([first as Service], 'during-outage', 1);
    // Neither blocking: the first operations are answered; nor lifting: the replica stops at its share.
    expect(answers[0]?.status).toBe(200);
    const calls = sandbox.calls.list().length;
    expect(calls).toBeGreaterThanOrEqual(QUOTA / 3 - 3);
    expect(calls).toBeLessThanOrEqual(QUOTA / 3);
    expect(answers.filter((answer) => answer.status === 200).length).toBe(calls);
    expectRefusedOnly(answers);
  });
});
