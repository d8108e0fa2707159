// A malformed `_entities` representation is the caller's mistake, refused before any resolver runs:
// HTTP 400 (200 under the legacy application/json) with BAD_USER_INPUT, the same answer whether the
// representations came as a literal or as a variable and however often the document is sent, a
// message naming only published entities, no stack, no error-level log line, no PharmaOne call.
// The cases (test/support/malformed-representations.ts) cover every non-entity type of the schema
// and every key field of every entity.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_REPRESENTATIONS } from '../../src/graphql/safety/representations.ts';
import { buildGatewaySchema } from '../../src/schema/schema.ts';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import type { GraphqlBody } from '../support/gateway.ts';
import { VALID, entityNames, graphqlLiteral, malformedCases, nonEntityTypeNames } from '../support/malformed-representations.ts';
import type { MalformedCase } from '../support/malformed-representations.ts';

const schema = buildGatewaySchema({ federationSubgraph: true });
const ENTITIES = entityNames(schema);
const NON_ENTITIES = nonEntityTypeNames(schema);
const CASES = malformedCases(schema);

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const BY_VARIABLE = 'query Entities($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }';
const inline = (representations: unknown[]) =>
  `query Entities { _entities(representations: ${graphqlLiteral(representations)}) { __typename } }`;

const stack = stackFixture({ env: { FEDERATION_SUBGRAPH: 'true' } });
beforeEach(() => stack.sandbox.calls.clear());

interface Answer {
  requestId: string;
  status: number;
  contentType: string;
  text: string;
  body: GraphqlBody<{ _entities: unknown[] }>;
}

async function post(body: Record<string, unknown>, accept = GRAPHQL_RESPONSE): Promise<Answer> {
  const requestId = `entities-${randomUUID()}`;
  const res = await request(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, apikey: ORG1_KEY, 'x-request-id': requestId },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { requestId, status: res.statusCode, contentType: String(res.headers['content-type']), text, body: JSON.parse(text) };
}

/** Type names a message must not hold: every non-entity type of the schema, and the caller's own `__typename` unless it is an entity. */
function leakedNames(message: string, sent?: unknown): string[] {
  const words = new Set(message.split(/[^\w]+/));
  const leaked = NON_ENTITIES.filter((name) => words.has(name));
  if (typeof sent === 'string' && sent !== '' && !ENTITIES.has(sent) && message.includes(`"${sent}"`)) leaked.push(sent);
  if (typeof sent === 'string' && /^\w+$/.test(sent) && !ENTITIES.has(sent) && words.has(sent)) leaked.push(sent);
  for (const runtime of ['Runtime', 'resolveReference', 'TypeError', 'undefined', '[object Object]', '    at ']) {
    if (message.includes(runtime)) leaked.push(runtime);
  }
  return leaked;
}

/** The log lines of these requests at error level or above, or holding a stack. */
function errorLines(answers: Answer[]) {
  const ids = new Set(answers.map((answer) => answer.requestId));
  return stack.logs.filter(
    (line) => ids.has(String(line.requestId)) && ((line.level ?? 0) >= 50 || JSON.stringify(line).includes('    at ')),
  );
}

describe('malformed representations', () => {
  it('covers every class: each non-entity type, each key field of each entity', () => {
    expect(NON_ENTITIES).toEqual(
      expect.arrayContaining(['Query', 'Mutation', 'Subscription', '__Schema', '__Type', 'Money', 'OrderStatus']),
    );
    expect(NON_ENTITIES).toEqual(
      expect.arrayContaining(['UpdateOrderStatusInput', 'String', 'ID', '_Any', '_Entity', '_Service', 'PageInfo']),
    );
    expect([...ENTITIES].sort()).toEqual(['Order', 'Org', 'Prescription', 'Product', 'Shop']);
    expect(CASES.length).toBeGreaterThan(NON_ENTITIES.length + 100);
  });

  it.each(CASES)('$name: 400 BAD_USER_INPUT, inline and as a variable, every time alike', async (malformed: MalformedCase) => {
    const { representations, index, typename } = malformed;
    const answers = [
      await post({ query: inline(representations) }),
      await post({ query: inline(representations) }),
      await post({ query: BY_VARIABLE, variables: { representations } }),
      await post({ query: BY_VARIABLE, variables: { representations } }),
    ];
    const legacy = await post({ query: BY_VARIABLE, variables: { representations } }, 'application/json');

    const [first] = answers as [Answer];
    expect(first.status).toBe(400);
    expect(first.contentType).toMatch(/^application\/graphql-response\+json/);
    expect(first.body.data).toBeUndefined();
    expect(first.body.errors).toEqual([
      { message: expect.stringMatching(/^representations\[\d+\]/), extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    const message = first.body.errors?.[0]?.message ?? '';
    expect(message.startsWith(`representations[${index}]`)).toBe(true);
    expect(leakedNames(message, typename)).toEqual([]);
    expect(answers.map((answer) => [answer.status, answer.text])).toEqual(answers.map(() => [400, first.text]));
    expect([legacy.status, legacy.text]).toEqual([200, first.text]);
    expect(errorLines([...answers, legacy])).toEqual([]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('reads representations from variables inside a literal, as execution does', async () => {
    const query =
      'query Entities($id: _Any) { _entities(representations: [{__typename: "Order", orgId: "org1", id: $id}]) { __typename } }';
    const answers = [await post({ query, variables: { id: 42 } }), await post({ query, variables: { id: '../org2' } })];

    expect(answers.map((answer) => [answer.status, answer.body.errors?.[0]?.extensions?.code])).toEqual([
      [400, 'BAD_USER_INPUT'],
      [400, 'BAD_USER_INPUT'],
    ]);
    expect(answers[0]?.body.errors?.[0]?.message).toBe(
      'representations[0] (Order): id must be a PharmaOne id (1–64 letters, digits, "_" or "-", starting with a letter or digit).',
    );
    expect(errorLines(answers)).toEqual([]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });

  it('answers a null representation with the GraphQL error for its non-null list item, no error-level line', async () => {
    const byVariable = await post({ query: BY_VARIABLE, variables: { representations: [VALID.Org, null] } });
    const byLiteral = await post({ query: inline([VALID.Org, null]) });

    // Refused by graphql-js's own coercion and validation, naming the argument's declared type only.
    expect([byVariable.status, byVariable.body.errors?.map((error) => error.extensions?.code)]).toEqual([400, ['BAD_USER_INPUT']]);
    expect([byLiteral.status, byLiteral.body.errors?.map((error) => error.extensions?.code)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);
    for (const answer of [byVariable, byLiteral]) {
      const message = answer.body.errors?.[0]?.message ?? '';
      expect(leakedNames(message).filter((name) => name !== '_Any')).toEqual([]);
    }
    expect(errorLines([byVariable, byLiteral])).toEqual([]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe(`at most ${MAX_REPRESENTATIONS} representations per operation`, () => {
  const orgs = (n: number) => Array.from({ length: n }, () => VALID.Org);

  it(`serves ${MAX_REPRESENTATIONS}`, async () => {
    const res = await post({ query: BY_VARIABLE, variables: { representations: orgs(MAX_REPRESENTATIONS) } });

    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?._entities).toEqual(orgs(MAX_REPRESENTATIONS).map(() => ({ __typename: 'Org' })));
  });

  it.each([
    ['in one field', BY_VARIABLE, { representations: orgs(MAX_REPRESENTATIONS + 1) }],
    [
      'across aliased fields',
      'query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } b: _entities(representations: $b) { __typename } }',
      { a: orgs(MAX_REPRESENTATIONS / 2), b: orgs(MAX_REPRESENTATIONS / 2 + 1) },
    ],
  ])('refuses one more %s before any call', async (_, query, variables) => {
    const answers = [await post({ query, variables }), await post({ query, variables })];

    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        errors: [
          {
            message: `_entities takes at most ${MAX_REPRESENTATIONS} representations per operation; this one has ${MAX_REPRESENTATIONS + 1}.`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    }
    expect(errorLines(answers)).toEqual([]);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

it('still answers well-formed references that name nothing with null and NOT_FOUND', async () => {
  const res = await post({
    query: BY_VARIABLE,
    variables: {
      representations: [
        { ...VALID.Shop, id: 'shop999' },
        { ...VALID.Order, id: 'ORD_20260101_doesnotexist' },
        { ...VALID.Product, p1Id: 'P1-none' },
      ],
    },
  });

  expect(res.status).toBe(200);
  expect(res.body.data?._entities).toEqual([null, null, null]);
  expect(res.body.errors?.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
    [['_entities', 0], 'NOT_FOUND'],
    [['_entities', 1], 'NOT_FOUND'],
    [['_entities', 2], 'NOT_FOUND'],
  ]);
});
