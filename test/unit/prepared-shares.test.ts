// The prepared operations' two shares (src/graphql/prepared-operations.ts): a request whose caller
// is proven by its end teaches the proven share; any other request a small share of its own, which
// only other such requests push out; a proven caller served from that share moves the entry over.
// Pure unit test: the real schema, admission and executor, taught as Apollo's hooks would teach them.
import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createAdmission } from '../../src/graphql/admission.ts';
import { createErrorPolicy } from '../../src/graphql/error-policy.ts';
import { createOperationExecutor } from '../../src/graphql/jit-executor.ts';
import { createPreparedOperations } from '../../src/graphql/prepared-operations.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createTracing } from '../../src/observability/tracing.ts';
import { must } from '../support/must.ts';

const schema = buildGatewaySchema();
const UNPROVEN_BYTES = 64 * 1024;

async function preparedOperations() {
  const config = loadConfig({ PHARMAONE_SANDBOX: 'true' });
  const prepared = createPreparedOperations({
    schema,
    execute: createOperationExecutor(schema, { jit: false }),
    admission: createAdmission({ schema, limits: config.queryLimits }),
    errors: createErrorPolicy({ suggestions: true }),
    log: { logger: createLogger({ level: 'silent' }), tracing: await createTracing({ ...config.tracing, enabled: false }) },
    responseCache: false,
    proven: (context) => (context as { proven?: boolean } | undefined)?.proven === true,
    budgets: { prepared: 1024 * 1024, unprovenPrepared: UNPROVEN_BYTES },
  });
  /** What Apollo's pipeline does for a query that reaches execution; 'by-end': a caller its own execution proves. */
  async function teach(query: string, proven: boolean | 'by-end') {
    const document = parse(query);
    const listener = await prepared.plugin.requestDidStart?.({} as never);
    if (!listener) throw new Error('the prepared plugin listens to no request');
    const contextValue = { proven: proven === true };
    await listener.executionDidStart?.({
      source: query,
      queryHash: query,
      document,
      operation: must(getOperationAST(document), 'the operation'),
      request: {},
      schema,
      contextValue,
    } as never);
    if (proven === 'by-end') contextValue.proven = true;
    await listener.willSendResponse?.({ contextValue } as never);
  }
  const serve = (query: string, proven: boolean) => prepared.serve({ query }, async () => ({ proven }));
  return { prepared, teach, serve };
}

const distinct = (index: number) => `{ ${Array.from({ length: 10 }, (_, alias) => `u${index}_${alias}: __typename`).join(' ')} }`;

describe('the prepared operations of callers not proven', () => {
  it('stay within their own share and push out none of a proven caller’s', async () => {
    const { prepared, teach, serve } = await preparedOperations();
    await teach('{ proven: __typename }', true);
    const proven = prepared.sizes().bytes;
    for (let index = 0; index < 300; index++) await teach(distinct(index), false);
    expect(prepared.sizes().bytes).toBe(proven);
    expect(prepared.sizes().unprovenBytes).toBeLessThanOrEqual(UNPROVEN_BYTES);
    expect(prepared.sizes().unprovenBytes).toBeGreaterThan(UNPROVEN_BYTES / 2);
    expect(await serve('{ proven: __typename }', false)).toMatchObject({ status: 200, body: '{"data":{"proven":"Query"}}\n' });
    // The latest unproven text is served; the first was pushed out by the others and goes to Apollo again.
    expect(await serve(distinct(299), false)).toMatchObject({ status: 200 });
    expect(await serve(distinct(0), false)).toBeUndefined();
  });

  it('move to the proven share once a proven caller is served from them', async () => {
    const { prepared, teach, serve } = await preparedOperations();
    await teach('{ shared: __typename }', false);
    expect(prepared.sizes().bytes).toBe(0);
    expect(await serve('{ shared: __typename }', true)).toMatchObject({ status: 200 });
    expect(prepared.sizes()).toMatchObject({ unprovenBytes: 0, entries: 1 });
    expect(prepared.sizes().bytes).toBeGreaterThan(0);
    for (let index = 0; index < 300; index++) await teach(distinct(index), false);
    expect(await serve('{ shared: __typename }', false)).toMatchObject({ status: 200 });
  });

  it('teach the proven share when the request proved its caller by its end', async () => {
    const { prepared, teach } = await preparedOperations();
    await teach('{ first: __typename }', 'by-end');
    expect(prepared.sizes()).toMatchObject({ entries: 1, unprovenBytes: 0 });
    expect(prepared.sizes().bytes).toBeGreaterThan(0);
  });
});
