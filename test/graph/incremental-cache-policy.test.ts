// The cache policy of an answer sent in parts: its `cache-control` header leaves with the first
// part, before any deferred field has run, so it must already be the whole operation's policy
// (src/graphql/plugins/cache-policy.ts computes it from every field the document selects). A
// deferred field with a shorter maxAge shortens the header of the multipart answer exactly as it
// does the header of the same selection answered whole.
import { describe, expect, it } from 'vitest';
import { stackFixture } from '../support/gateway.ts';
import { ACCEPT, postForParts, rest } from '../support/multipart.ts';

const stack = stackFixture();

/** The `cache-control` of a selection answered whole (application/json) and the parts' answer having read every part. */
async function policies(plain: string, deferred: string) {
  const whole = await postForParts(stack.gateway.url, { query: plain }, 'application/json');
  expect(whole.status).toBe(200);
  const inParts = await postForParts(stack.gateway.url, { query: deferred }, ACCEPT.v02);
  expect(inParts.contentType).toMatch(/^multipart\/mixed/);
  const parts = await rest(inParts.parts ?? { next: async () => ({ done: true, value: undefined }) });
  expect(parts.at(-1)).toMatchObject({ hasNext: false });
  return { whole: whole.cacheControl, inParts: inParts.cacheControl };
}

describe('cache-control of an answer sent in parts', () => {
  it.each([
    // Org is cached 300 s; the reports under it 60 s: deferring them does not lengthen the policy.
    ['a shorter maxAge in the deferred fragment', 'reports { dashboard { __typename } }', 'max-age=60, private'],
    // Orders carry no hint (maxAge 0): the answer is not stored, whole or in parts.
    ['an uncacheable field in the deferred fragment', 'orders(first: 1) { nodes { id } }', 'no-store'],
  ])('%s', async (_, deferredSelection, expected) => {
    const alone = await policies('{ org(id: "org1") { __typename id } }', '{ org(id: "org1") { __typename ... @defer { id } } }');
    expect(alone.whole).toBe('max-age=300, private');
    expect(alone.inParts).toBe(alone.whole);
    const { whole, inParts } = await policies(
      `{ org(id: "org1") { id ${deferredSelection} } }`,
      `{ org(id: "org1") { id ... @defer { ${deferredSelection} } } }`,
    );
    expect(whole).toBe(expected);
    expect(inParts).toBe(whole);
  });
});
