// One response writer (issue 20): a subscribe writes the same one per-operation log line and
// metric observation as a POST does, on graphql-ws and on graphql-sse, once the feed has taken it
// (refusals on every transport are checked by test/hardening/admission-matrix.test.ts).
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { operationLinesDuring } from '../support/admission-transports.ts';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { connectWs, subscribeSse, waitFor } from './feed-clients.ts';

const stack = stackFixture();

async function boardObservations(): Promise<number> {
  const text = await (await request(`${stack.gateway.listenUrl}/metrics`)).body.text();
  const match = /graphql_operation_duration_seconds_count\{[^}]*operation="Board"[^}]*outcome="ok"[^}]*\} (\d+)/.exec(text);
  return Number(match?.[1] ?? 0);
}

const admitted = (transport: string, httpMethod: string) =>
  expect.objectContaining({
    transport,
    httpMethod,
    httpStatus: 200,
    operationName: 'Board',
    operationType: 'subscription',
    callerMode: 'PASS_THROUGH',
    errorCodes: [],
  });

describe('an admitted subscribe writes one operation line and one metric observation', () => {
  it('over graphql-ws', async () => {
    const before = await boardObservations();
    const connection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
    const { lines } = await operationLinesDuring(stack, async () => {
      connection.subscribe({ orgId: 'org1' });
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscription');
    });
    expect(lines).toEqual([admitted('graphql-ws', 'GET')]);
    expect(await boardObservations()).toBe(before + 1);
    await connection.dispose();
    await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'the subscription ended');
  });

  it('over graphql-sse', async () => {
    const before = await boardObservations();
    let received: ReturnType<typeof subscribeSse> | undefined;
    const { lines } = await operationLinesDuring(stack, async () => {
      received = subscribeSse(stack.gateway.url, { apikey: ORG1_KEY }, { orgId: 'org1' });
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscription');
    });
    expect(lines).toEqual([admitted('graphql-sse', 'POST')]);
    expect(await boardObservations()).toBe(before + 1);
    received?.dispose();
    await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'the subscription ended');
  });
});
