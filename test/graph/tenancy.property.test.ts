// Two orgs and three credentials interleaved at random (fast-check): no upstream call ever
// carries a token of an org other than the one in its path, no credential is served with
// another credential's token (scopes tell), and no response holds another org's data.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

let stack: TestStack;
beforeAll(async () => {
  // Short-lived tokens make refreshes happen in the middle of the runs too; the response cache is
  // on, since a cache that outlives requests is where tenants could meet.
  stack = await startStack({ sandbox: { tokenLifetimeSeconds: 2 }, env: { RESPONSE_CACHE_MB: '16' } });
});
afterAll(() => stack.close());

const SHOPS_OF: Record<string, string[]> = { org1: ['shop1', 'shop2'], org2: ['shop3'] };
const KEYS_OF: Record<string, string[]> = { org1: [ORG1_KEY, ORG1_READONLY_KEY], org2: [ORG2_KEY] };

const request = fc.record({
  apikey: fc.constantFrom(ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY),
  org: fc.constantFrom('org1', 'org2'),
  query: fc.constantFrom(
    'shops { id }',
    'orders(first: 3) { nodes { id shop { id } } }',
    'prescriptions(first: 2) { nodes { shopId } }',
    // Only the full keys hold reports:read: a token shared across credentials would show here.
    'reports { dashboard { prescriptions { total } } }',
  ),
});

it('never sends one org a token of another, whatever the interleaving', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(request, { minLength: 2, maxLength: 12 }), async (batch) => {
      stack.sandbox.calls.clear();
      const responses = await Promise.all(
        batch.map((r) => stack.gql<{ org: unknown }>(`{ org(id: "${r.org}") { id ${r.query} } }`, undefined, { apikey: r.apikey })),
      );

      for (const call of stack.sandbox.calls.list()) {
        if (call.authKind === 'jwt') expect(call.tokenOrg).toBe(call.org);
      }
      responses.forEach((res, i) => {
        const { org, apikey, query } = must(batch[i], `request ${i}`);
        const mayReach = KEYS_OF[org]?.includes(apikey);
        if (!mayReach) {
          expect(dataOf(res).org).toBeNull();
          expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
          return;
        }
        if (query.startsWith('reports')) {
          const forbidden = res.body.errors?.some((error) => error.extensions?.code === 'FORBIDDEN') ?? false;
          expect(forbidden).toBe(apikey === ORG1_READONLY_KEY);
        }
        const shopIds = JSON.stringify(dataOf(res).org).match(/shop\d/g) ?? [];
        for (const shopId of shopIds) expect(SHOPS_OF[org]).toContain(shopId);
      });
    }),
    { numRuns: 30 },
  );
});
