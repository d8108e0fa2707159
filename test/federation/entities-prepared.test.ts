// The prepared-operation path (src/graphql/prepared-operations.ts) runs the same admission rules
// as Apollo: once a `_entities` document has been accepted, a later request of it whose
// representations are malformed is handed back to Apollo (which refuses it, as
// entities-malformed.test.ts shows) before a context is built or anything executes. A subgraph
// gateway keeps this path off today; this holds the invariant for the day it is on. Pure unit test:
// the real subgraph schema, admission and executor, taught a document as Apollo's hook would.
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
import { malformedCases } from '../support/malformed-representations.ts';
import { must } from '../support/must.ts';

const schema = buildGatewaySchema({ federationSubgraph: true });
const QUERY = 'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';

async function preparedWithRule() {
  const config = loadConfig({ PHARMAONE_SANDBOX: 'true', FEDERATION_SUBGRAPH: 'true' });
  const prepared = createPreparedOperations({
    schema,
    execute: createOperationExecutor(schema, { jit: true }),
    // The admission a subgraph gateway runs: its rules on variables include the _entities rule.
    admission: createAdmission({ schema, limits: config.queryLimits }),
    errors: createErrorPolicy({ suggestions: true }),
    log: { logger: createLogger({ level: 'silent' }), tracing: await createTracing({ ...config.tracing, enabled: false }) },
    responseCache: false,
    // The document below is taught as if a proven caller's request had reached execution.
    proven: () => true,
  });
  // What Apollo's pipeline does once the document has passed every rule and reaches execution.
  const document = parse(QUERY);
  const listener = await prepared.plugin.requestDidStart?.({} as never);
  if (!listener) throw new Error('the prepared plugin listens to no request');
  await listener.executionDidStart?.({
    source: QUERY,
    queryHash: '',
    document,
    operation: must(getOperationAST(document), 'the operation'),
    request: {},
    schema,
  } as never);
  return prepared;
}

describe('prepared operations with malformed representations', () => {
  it('serves a well-formed request of a taught document, and hands every malformed one to Apollo untouched', async () => {
    const prepared = await preparedWithRule();
    let contexts = 0;
    const buildContext = async () => {
      contexts++;
      return {};
    };

    const served = await prepared.serve({ query: QUERY, variables: { representations: [] } }, buildContext);
    expect(served).toMatchObject({ status: 200, body: '{"data":{"_entities":[]}}\n' });
    expect(contexts).toBe(1);

    const cases = malformedCases(schema);
    const answers = [];
    for (const malformed of cases) {
      answers.push(await prepared.serve({ query: QUERY, variables: { representations: malformed.representations } }, buildContext));
    }

    expect(answers).toEqual(cases.map(() => undefined));
    expect(contexts).toBe(1);
    expect(prepared.stats()).toEqual({ served: 1, handedToApollo: cases.length });
  });
});
