// `_entities` in BFF mode, the way a router forwards a signed-in user's `Authorization`: references
// to a granted org resolve with the operator's key for it; a reference to an org the sign-in token
// does not grant is FORBIDDEN without a single PharmaOne call for that org.
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { dataOf, ORG2_KEY, restCalls, startStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'pharmaone-graph';

let stack: TestStack;
let signingKey: CryptoKey;
let org1OrderId: string;
let org2OrderId: string;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  stack = await startStack({
    env: {
      FEDERATION_SUBGRAPH: 'true',
      AUTH_MODE: 'bff',
      BFF_JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
      BFF_JWT_ISSUER: ISSUER,
      BFF_JWT_AUDIENCE: AUDIENCE,
      BFF_JWT_ALGORITHMS: 'RS256',
      PHARMAONE_ORG_KEYS: JSON.stringify({ org1: 'sandbox-org1-key', org2: ORG2_KEY }),
    },
  });
  const both = { apikey: null, headers: { authorization: `Bearer ${await signIn(['org1', 'org2'])}` } };
  const page = await stack.gql<{ a: OrderIds; b: OrderIds }>(
    '{ a: org(id: "org1") { orders(first: 1) { nodes { id } } } b: org(id: "org2") { orders(first: 1) { nodes { id } } } }',
    undefined,
    both,
  );
  org1OrderId = must(dataOf(page).a.orders.nodes[0], 'an org1 order').id;
  org2OrderId = must(dataOf(page).b.orders.nodes[0], 'an org2 order').id;
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.calls.clear());

async function signIn(orgs: string[]): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ pharmaone_orgs: orgs })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('user-7')
    .setIssuedAt(now - 10)
    .setExpirationTime(now + 600)
    .sign(signingKey);
}

it("refuses a reference to an org the sign-in token does not grant with FORBIDDEN and no call for that org, serving the granted org's", async () => {
  const res = await stack.gql<{ _entities: unknown[] }>(
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orgId id status } } }',
    {
      r: [
        { __typename: 'Order', orgId: 'org1', id: org1OrderId },
        { __typename: 'Order', orgId: 'org2', id: org2OrderId },
        { __typename: 'Shop', orgId: 'org2', id: 'shop3' },
      ],
    },
    { apikey: null, headers: { authorization: `Bearer ${await signIn(['org1'])}` } },
  );

  expect(dataOf(res)._entities).toEqual([{ orgId: 'org1', id: org1OrderId, status: expect.any(String) }, null, null]);
  expect(res.body.errors?.map((error) => [error.path, error.extensions?.code]).sort()).toEqual([
    [['_entities', 1], 'FORBIDDEN'],
    [['_entities', 2], 'FORBIDDEN'],
  ]);
  expect(stack.sandbox.calls.list().filter((call) => call.org === 'org2')).toEqual([]);
  expect(restCalls(stack.sandbox)).toEqual([`GET /orders/${org1OrderId}`]);
});
