// @defer as Apollo Client 4 reads it: ApolloClient over HttpLink in Node, with each of its two
// incremental handlers (Defer20220824Handler: `multipart/mixed;deferSpec=20220824`, the format of
// Apollo Client 3 and Apollo Kotlin/iOS too; GraphQL17Alpha9Handler:
// `multipart/mixed;incrementalSpec=v0.2`). The order-detail calls are held by a proxy until the
// client has shown the orders, so the client's first emission is the orders without details
// (`dataState: 'streaming'`), its last the whole list: the screen paints after one PharmaOne wave.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler, GraphQL17Alpha9Handler } from '@apollo/client/incremental';
import { print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { must } from '../support/must.ts';

let holding = false;
let upstream: HeldUpstream | undefined;
const stack = stackFixture({
  upstreamVia: async (sandboxUrl) => {
    upstream = await startHeldUpstream(sandboxUrl, (path) => holding && /\/orders\/ORD_/.test(path));
    return upstream.url;
  },
});
afterAll(() => upstream?.close());

const ORDERS = gql`
  query OrderList {
    org(id: "org1") {
      id
      shop(id: "shop1") {
        id
        orders(first: 3) {
          nodes {
            id
            status
            ... @defer(label: "details") {
              items {
                name
                quantity
              }
              shippingAddress {
                city
              }
            }
          }
        }
      }
    }
  }
`;

interface Order {
  id: string;
  status: string;
  items?: Array<{ name: string; quantity: number }>;
  shippingAddress?: { city: string } | null;
}
interface OrderList {
  org: { shop: { orders: { nodes: Order[] } } };
}

/** Each emission of a watched query until it is complete, holding the detail calls until the first. */
async function emissions(client: ApolloClient): Promise<Array<{ dataState: string; orders: Order[] }>> {
  const held = must(upstream, 'the held upstream');
  const seen: Array<{ dataState: string; orders: Order[] }> = [];
  holding = true;
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = client.watchQuery<OrderList>({ query: ORDERS, fetchPolicy: 'network-only' }).subscribe({
        next(result) {
          if (result.error) reject(result.error);
          if (!result.data) return;
          seen.push({ dataState: result.dataState, orders: (result.data as OrderList).org.shop.orders.nodes });
          if (result.dataState === 'streaming' && seen.length === 1) {
            // The orders are on screen: now let PharmaOne answer the details.
            holding = false;
            held.whenHeld(3).then(() => held.release(), reject);
          }
          if (result.dataState === 'complete') {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
      });
    });
  } finally {
    holding = false;
    held.release();
  }
  return seen;
}

describe.each([
  { handler: 'Defer20220824Handler', incrementalHandler: () => new Defer20220824Handler() },
  { handler: 'GraphQL17Alpha9Handler', incrementalHandler: () => new GraphQL17Alpha9Handler() },
])('Apollo Client 4 over HttpLink with $handler', ({ incrementalHandler }) => {
  it('shows the orders first (streaming), then every order with its details, equal to the plain answer', async () => {
    const plain = await stack.gql<OrderList>(print(ORDERS).replace('... @defer(label: "details")', '...'));
    expect(plain.body.errors).toBeUndefined();
    const expected = (plain.body.data as OrderList).org.shop.orders.nodes;
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new HttpLink({ uri: stack.gateway.url, headers: { apikey: ORG1_KEY } }),
      incrementalHandler: incrementalHandler(),
    });
    const seen = await emissions(client);
    expect(seen[0]).toEqual({
      dataState: 'streaming',
      orders: expected.map(({ id, status }) => expect.objectContaining({ id, status })),
    });
    expect(seen[0]?.orders.every((order) => order.items === undefined)).toBe(true);
    const last = must(seen.at(-1), 'the complete emission');
    expect(last.dataState).toBe('complete');
    expect(last.orders.map(({ id, status, items, shippingAddress }) => ({ id, status, items, shippingAddress }))).toEqual(
      expected.map(({ id, status, items, shippingAddress }) => ({
        id,
        status,
        items: items?.map((item) => ({ ...item, __typename: 'OrderItem' })),
        shippingAddress: shippingAddress ? { ...shippingAddress, __typename: 'Address' } : shippingAddress,
      })),
    );
    client.stop();
  });
});
