// Peer "Apollo Server + RESTDataSource, written plainly": what a team would build in an afternoon
// with the tutorial's tools — its own tiny schema, startStandaloneServer, a RESTDataSource per
// request, the token fetched once and kept. Defaults everywhere (cache-control plugin, usage
// reporting off without a key), so it is the obvious alternative the gateway is measured against.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { RESTDataSource } from '@apollo/datasource-rest';
import type { AugmentedRequest } from '@apollo/datasource-rest';
import { APIKEY } from './queries.ts';

const base = process.env.PHARMAONE_BASE_URL;
if (!base) throw new Error('PHARMAONE_BASE_URL is required');

const typeDefs = `#graphql
  type Query { orders(orgId: ID!, first: Int = 20): [Order!]! }
  type Order { id: ID! status: String! paymentStatus: String! customerName: String totalAmount: Money! createdAt: String! }
  type Money { amount: String! currency: String! }
`;

const tokens = new Map<string, Promise<string>>();

class PharmaOneAPI extends RESTDataSource {
  override baseURL = `${base}/api/v2/public/`;

  override async willSendRequest(path: string, request: AugmentedRequest) {
    const org = path.split('/')[1] ?? '';
    request.headers.authorization = `Bearer ${await this.token(org)}`;
  }

  token(org: string): Promise<string> {
    let token = tokens.get(org);
    if (!token) {
      token = fetch(`${base}/api/v2/public/orgs/${org}/auth/token`, { method: 'POST', headers: { apikey: APIKEY } })
        .then((res) => res.json())
        .then((body) => (body as { access_token: string }).access_token);
      tokens.set(org, token);
    }
    return token;
  }

  getOrders(org: string, limit: number) {
    return this.get(`orgs/${encodeURIComponent(org)}/orders`, { params: { limit: String(limit), offset: '0' } });
  }
}

/** A row of GET /orders as this peer reads it. */
interface OrderRow {
  status: string;
  payment_status: string;
  customer_name?: string | null;
  total_amount: number;
  created_at: string;
}
interface PeerContext {
  dataSources: { pharmaone: PharmaOneAPI };
}

const resolvers = {
  Query: {
    orders: async (_: unknown, { orgId, first }: { orgId: string; first: number }, { dataSources }: PeerContext) =>
      ((await dataSources.pharmaone.getOrders(orgId, first)) as { data: OrderRow[] }).data,
  },
  Order: {
    status: (o: OrderRow) => o.status.toUpperCase(),
    paymentStatus: (o: OrderRow) => o.payment_status.toUpperCase(),
    customerName: (o: OrderRow) => o.customer_name,
    totalAmount: (o: OrderRow) => ({ amount: o.total_amount.toFixed(2), currency: 'EUR' }),
    createdAt: (o: OrderRow) => o.created_at,
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async () => ({ dataSources: { pharmaone: new PharmaOneAPI() } }),
});
console.log(`apollo rest listening on ${url.replace('localhost', '127.0.0.1')}`);
