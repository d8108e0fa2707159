// Peer "Fastify + Mercurius (jit: 1) + undici Pool + DataLoader, written plainly" (issue 25): the
// fastest thing a performance-minded engineer would write in an afternoon for the bench's reads,
// with no rules at all — its own small schema with the gateway's field names, the token fetched
// once and kept, one keep-alive undici Pool to PharmaOne, a DataLoader per request for the order
// details, and the project's own money/enum mapping so its answers are the gateway's bytes.
import DataLoader from 'dataloader';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import { Pool } from 'undici';
import { orderStatusFromRest, paymentStatusFromRest } from '../../src/domain/enums.ts';
import { centsToDecimal, eurosToCents, lineTotalCents } from '../../src/domain/money.ts';
import { APIKEY } from './queries.ts';

const base = process.env.PHARMAONE_BASE_URL;
if (!base) throw new Error('PHARMAONE_BASE_URL is required');
const pool = new Pool(base, { connections: 64, keepAliveTimeout: 10_000 });

const schema = `
  type Query { org(id: ID!): Org }
  type Org { id: ID! orders(first: Int = 20): OrderConnection }
  type OrderConnection { nodes: [Order!]! }
  enum OrderStatus { PENDING AWAITING_PACKING PACKED SHIPPED READY_FOR_PICKUP COMPLETED CANCELLED UNKNOWN }
  enum PaymentStatus { PENDING PAID FAILED REFUNDED UNKNOWN }
  type Money { amount: String! cents: Int currency: String! }
  type Order {
    id: ID! shopId: ID! customerName: String customerEmail: String
    status: OrderStatus! statusRaw: String! paymentStatus: PaymentStatus! paymentStatusRaw: String!
    totalAmount: Money items: [OrderItem!] shippingAddress: Address createdAt: String updatedAt: String
  }
  type OrderItem { name: String! quantity: Int! unitPrice: Money lineTotal: Money p1Id: ID }
  type Address { street: String! city: String! postalCode: String! phone: String }
`;

/** The fields of PharmaOne's order answers this peer reads (a list row, and a detail's extras). */
interface OrderRow {
  id: string;
  shop_id: string;
  status: string;
  payment_status: string;
  customer_name?: string | null;
  total_amount: number;
  created_at: string;
  updated_at: string;
}
interface OrderDetail extends OrderRow {
  customer_email?: string | null;
  items: ItemRow[];
  shipping_address?: { street: string; city: string; postal_code: string; phone?: string | null } | null;
}
interface ItemRow {
  name: string;
  quantity: number;
  price: number;
  p1_id: string;
}
/** An order as the resolvers below hand it on: the list row's fields mapped, the rest loaded. */
interface OrderNode {
  orgId: string;
  id: string;
}
// Mercurius's documented way to type what `context` adds.
declare module 'mercurius' {
  interface MercuriusContext {
    details: DataLoader<OrderNode, OrderDetail, string>;
  }
}
type PeerContext = mercurius.MercuriusContext;

const tokens = new Map<string, Promise<string>>();
function bearer(org: string): Promise<string> {
  let token = tokens.get(org);
  if (!token) {
    token = pool
      .request({ path: `/api/v2/public/orgs/${org}/auth/token`, method: 'POST', headers: { apikey: APIKEY } })
      .then((res) => res.body.json())
      .then((body) => `Bearer ${(body as { access_token: string }).access_token}`);
    tokens.set(org, token);
  }
  return token;
}

async function get<T>(org: string, path: string): Promise<T> {
  const res = await pool.request({
    path: `/api/v2/public/orgs/${encodeURIComponent(org)}${path}`,
    method: 'GET',
    headers: { authorization: await bearer(org), accept: 'application/json' },
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`GET ${path} answered ${res.statusCode}`);
  }
  return (await res.body.json()) as T;
}

const fullMoney = (cents: number) => ({ amount: centsToDecimal(cents), cents, currency: 'EUR' });

const orderNode = (org: string, o: OrderRow) => ({
  orgId: org,
  id: o.id,
  shopId: o.shop_id,
  customerName: o.customer_name ?? null,
  status: orderStatusFromRest(o.status).value,
  statusRaw: o.status,
  paymentStatus: paymentStatusFromRest(o.payment_status).value,
  paymentStatusRaw: o.payment_status,
  totalAmount: fullMoney(eurosToCents(o.total_amount)),
  createdAt: o.created_at,
  updatedAt: o.updated_at,
});

const resolvers = {
  Query: {
    org: (_: unknown, { id }: { id: string }) => ({ id }),
  },
  Org: {
    orders: async (org: { id: string }, { first }: { first: number }) => {
      const page = await get<{ data: OrderRow[] }>(org.id, `/orders?limit=${first}&offset=0`);
      return { nodes: page.data.map((row) => orderNode(org.id, row)) };
    },
  },
  // The detail-only fields: one GET /orders/{id} per order, shared by the three through the loader.
  Order: {
    customerEmail: async (o: OrderNode, _: unknown, ctx: PeerContext) => (await ctx.details.load(o)).customer_email ?? null,
    items: async (o: OrderNode, _: unknown, ctx: PeerContext) => (await ctx.details.load(o)).items,
    shippingAddress: async (o: OrderNode, _: unknown, ctx: PeerContext) => {
      const address = (await ctx.details.load(o)).shipping_address;
      return address ? { street: address.street, city: address.city, postalCode: address.postal_code, phone: address.phone ?? null } : null;
    },
  },
  OrderItem: {
    unitPrice: (item: ItemRow) => fullMoney(eurosToCents(item.price)),
    lineTotal: (item: ItemRow) => fullMoney(lineTotalCents(item.quantity, eurosToCents(item.price))),
    p1Id: (item: ItemRow) => item.p1_id || null,
  },
};

const app = Fastify();
// Apollo ends its JSON with a newline; the same bytes here.
app.setReplySerializer((payload) => `${JSON.stringify(payload)}\n`);
app.register(mercurius, {
  schema,
  resolvers,
  jit: 1,
  // A DataLoader per request, as the DataLoader docs advise.
  context: () => ({
    details: new DataLoader<OrderNode, OrderDetail, string>(
      (orders) => Promise.all(orders.map((o) => get<OrderDetail>(o.orgId, `/orders/${encodeURIComponent(o.id)}`))),
      { cacheKeyFn: (o) => `${o.orgId}/${o.id}` },
    ),
  }),
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`mercurius listening on ${address}/graphql`);
