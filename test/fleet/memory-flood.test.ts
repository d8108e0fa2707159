// Issue 10, class 5: a flood of distinct idempotency keys on a large order cannot take a gateway
// down. A real gateway process with a 192 MB heap (`--max-old-space-size=192`, as the attack ran)
// and its in-memory stores at their documented defaults receives thousands of keyed writes of a
// 100-line order; it keeps answering, and its memory stays bounded: each record keeps the minimal
// outcome (ids), never the order, within IDEMPOTENCY_CACHE_MB.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess } from '../../bench/lib/processes.ts';
import type { Service } from '../../bench/lib/processes.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { dataOf } from '../support/gateway.ts';
import type { GraphqlBody, GraphqlResponse, Sandbox } from '../support/gateway.ts';
import { must } from '../support/must.ts';

const WRITES = 2_000;
const CONCURRENCY = 8;
const RSS_LIMIT_MB = 400;

let sandbox: Sandbox;
let gateway: Service;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  gateway = await startGatewayProcess(
    sandbox.url,
    { LOG_LEVEL: 'silent', GRAPHIQL_ENABLED: 'false' },
    { nodeArgs: ['--max-old-space-size=192'] },
  );
}, 60_000);
afterAll(async () => {
  await gateway?.kill();
  await sandbox?.close();
});

/** One GraphQL POST to the gateway; `TData` is the shape the query selects. */
async function post<TData = unknown>(body: { query: string; variables?: Record<string, unknown> }): Promise<GraphqlResponse<TData>> {
  const res = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, body: JSON.parse(await res.body.text()) as GraphqlBody<TData> };
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return Number(line?.[1]) / 1024;
}

const SUBMIT = `mutation Flood($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { id orderId } userErrors { code } }
}`;
type SubmitData = {
  submitOrderRequest: { orderRequest: { id: string; orderId: string | null } | null; userErrors: Array<{ code: string }> };
};
// The largest order the input rules allow: 100 lines with 200-character names.
const items = Array.from({ length: 100 }, (_, index) => ({
  name: `${'Ibuprofen 400mg '.repeat(12)}${index}`.slice(0, 200),
  quantity: 1,
  unitPrice: '1.00',
}));

describe('a flood of distinct idempotency keys', () => {
  it(`keeps a 192 MB-heap gateway up and its memory bounded across ${WRITES} keyed writes of a large order`, async () => {
    let next = 0;
    let acknowledged = 0;
    const failures: unknown[] = [];
    const firstKeys: Array<{ key: string; id: string }> = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < WRITES) {
          next += 1;
          const key = randomUUID();
          const input = {
            orgId: 'org1',
            shopId: 'shop1',
            customer: { name: 'Flood', email: 'flood@example.com' },
            items,
            idempotencyKey: key,
          };
          const res = await post<SubmitData>({ query: SUBMIT, variables: { input } });
          const payload = res.body.data?.submitOrderRequest;
          if (payload?.orderRequest && payload.userErrors.length === 0) {
            acknowledged += 1;
            if (firstKeys.length < 3) firstKeys.push({ key, id: payload.orderRequest.id });
          } else failures.push(res.body);
        }
      }),
    );

    expect(failures).toEqual([]);
    expect(acknowledged).toBe(WRITES);
    // Still up and answering, and early keys still replay (default bounds hold thousands of minimal records).
    const health = await request(gateway.url.replace(/\/graphql$/, '/healthz'));
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const first = must(firstKeys[0], 'an acknowledged keyed write');
    const replay = await post<SubmitData>({
      query: SUBMIT,
      variables: {
        input: {
          orgId: 'org1',
          shopId: 'shop1',
          customer: { name: 'Flood', email: 'flood@example.com' },
          items,
          idempotencyKey: first.key,
        },
      },
    });
    expect(must(dataOf(replay).submitOrderRequest.orderRequest, 'the replayed order request').id).toBe(first.id);
    const rss = rssMb(gateway.pid);
    expect(rss).toBeLessThan(RSS_LIMIT_MB);
  }, 240_000);
});
