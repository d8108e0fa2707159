// Exactly one log line and one metric observation per request, with the codes the client saw,
// even when a plugin crashes: the report is written by the HTTP handler after the response, not by
// a plugin that may never run. A real Apollo Server behind the real handler on a real port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlHandler } from '../../src/http/graphql-handler.ts';
import { createRouter } from '../../src/http/router.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createGatewayMetrics } from '../../src/observability/metrics.ts';
import { createOperationReporter } from '../../src/observability/operation-report.ts';

const crashing: ApolloServerPlugin = {
  async requestDidStart({ request: req }) {
    return {
      async willSendResponse() {
        if (req.operationName === 'CrashLate') throw new Error('plugin bug in willSendResponse');
      },
      async didResolveOperation() {
        if (req.operationName === 'CrashEarly') throw new TypeError('plugin bug in didResolveOperation');
      },
    };
  },
};

let url = '';
const lines: Array<Record<string, unknown>> = [];
const metrics = createGatewayMetrics({ maxOperationNames: 10 });
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    }),
  });
  const apollo = new ApolloServer({ typeDefs: 'type Query { a: Int }', resolvers: { Query: { a: () => 1 } }, plugins: [crashing], logger });
  await apollo.start();
  const handler = createGraphqlHandler(apollo, async () => ({}), {
    report: createOperationReporter({ logger, metrics }),
    onUnexpectedError: (error) => logger.error({ err: error }, 'unexpected error'),
  });
  const server = createServer(createRouter(logger, { '/graphql': handler }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  close = async () => {
    await apollo.stop();
    await new Promise((resolve) => server.close(resolve));
  };
});
afterAll(() => close());

async function send(operationName: string, requestId: string) {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: `query ${operationName} { a }`, operationName }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> } };
}

async function observations(operation: string): Promise<number> {
  const text = await metrics.render();
  return [
    ...text.matchAll(new RegExp(`^graphql_operation_duration_seconds_count\\{operation="${operation}",[^}]*\\} (\\d+)$`, 'gm')),
  ].reduce((sum, [, n]) => sum + Number(n), 0);
}

describe('a request that crashed a plugin', () => {
  it.each(['CrashEarly', 'CrashLate', 'Fine'])('%s: one operation log line and one metric with the code the client saw', async (name) => {
    const requestId = `report-${name}-0001`;
    const res = await send(name, requestId);

    const codes = [...new Set((res.body.errors ?? []).map((error) => error.extensions?.code))];
    const operationLines = lines.filter((line) => line.requestId === requestId && line.msg === 'graphql operation');
    expect(operationLines).toHaveLength(1);
    expect(operationLines[0]).toMatchObject({ httpStatus: res.status, errorCodes: codes });
    expect(await observations(name)).toBe(1);
    if (name === 'Fine') expect([res.status, codes]).toEqual([200, []]);
    else expect(res.status).toBeGreaterThanOrEqual(500);
  });
});
