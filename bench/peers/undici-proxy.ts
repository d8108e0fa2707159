// Peer "hand-written undici proxy": what a developer would write for exactly the two order reads
// the bench sends, with no GraphQL at all. It makes the gateway's upstream calls (token exchange
// once per process, GET /orders, GET /orders/{id} per order in parallel over a keep-alive pool) and
// writes the same answer bytes through the project's own mapping helpers (money, enums), so the
// comparison measures only what the gateway adds on top. Routes: POST /summary, POST /detail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { orderStatusFromRest, paymentStatusFromRest } from '../../src/domain/enums.ts';
import { centsToDecimal, eurosToCents, lineTotalCents } from '../../src/domain/money.ts';
import { APIKEY, DETAIL_FIRST, ORG, SUMMARY_FIRST } from './queries.ts';

const base = process.env.PHARMAONE_BASE_URL;
if (!base) throw new Error('PHARMAONE_BASE_URL is required');
const orgUrl = `${base}/api/v2/public/orgs/${ORG}`;
const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

let token: Promise<string> | undefined;
function bearer(): Promise<string> {
  token ??= request(`${orgUrl}/auth/token`, { method: 'POST', headers: { apikey: APIKEY }, dispatcher: agent })
    .then((res) => res.body.json())
    .then((body) => `Bearer ${(body as { access_token: string }).access_token}`);
  return token;
}

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
  items: Array<{ name: string; quantity: number; price: number; p1_id: string }>;
  shipping_address?: { street: string; city: string; postal_code: string; phone?: string | null } | null;
}

async function get<T>(path: string): Promise<T> {
  const res = await request(`${orgUrl}${path}`, {
    headers: { authorization: await bearer(), accept: 'application/json' },
    dispatcher: agent,
  });
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}`);
  return (await res.body.json()) as T;
}

const money = (cents: number) => ({ amount: centsToDecimal(cents), currency: 'EUR' });
const fullMoney = (cents: number) => ({ amount: centsToDecimal(cents), cents, currency: 'EUR' });

async function summary(): Promise<unknown> {
  const page = await get<{ data: OrderRow[] }>(`/orders?limit=${SUMMARY_FIRST}&offset=0`);
  const nodes = page.data.map((o) => ({
    id: o.id,
    status: orderStatusFromRest(o.status).value,
    paymentStatus: paymentStatusFromRest(o.payment_status).value,
    customerName: o.customer_name ?? null,
    totalAmount: money(eurosToCents(o.total_amount)),
    createdAt: o.created_at,
  }));
  return { data: { org: { orders: { nodes } } } };
}

async function detail(): Promise<unknown> {
  const page = await get<{ data: OrderRow[] }>(`/orders?limit=${DETAIL_FIRST}&offset=0`);
  const details = await Promise.all(page.data.map((o) => get<OrderDetail>(`/orders/${o.id}`)));
  const nodes = page.data.map((o, i) => {
    const d = details[i];
    if (!d) throw new Error(`no detail for order ${o.id}`);
    const status = orderStatusFromRest(o.status);
    const payment = paymentStatusFromRest(o.payment_status);
    return {
      id: o.id,
      shopId: o.shop_id,
      status: status.value,
      statusRaw: status.raw,
      paymentStatus: payment.value,
      paymentStatusRaw: payment.raw,
      customerName: o.customer_name ?? null,
      customerEmail: d.customer_email ?? null,
      totalAmount: fullMoney(eurosToCents(o.total_amount)),
      createdAt: o.created_at,
      updatedAt: o.updated_at,
      items: d.items.map((item) => {
        const unit = eurosToCents(item.price);
        return {
          name: item.name,
          quantity: item.quantity,
          p1Id: item.p1_id || null,
          unitPrice: fullMoney(unit),
          lineTotal: fullMoney(lineTotalCents(item.quantity, unit)),
        };
      }),
      shippingAddress: d.shipping_address
        ? {
            street: d.shipping_address.street,
            city: d.shipping_address.city,
            postalCode: d.shipping_address.postal_code,
            phone: d.shipping_address.phone ?? null,
          }
        : null,
    };
  });
  return { data: { org: { orders: { nodes } } } };
}

const routes: Record<string, () => Promise<unknown>> = { '/summary': summary, '/detail': detail };

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  JSON.parse(Buffer.concat(chunks).toString('utf8')); // a real proxy reads its input too
  const route = routes[req.url ?? ''];
  if (!route) {
    res.statusCode = 404;
    res.end();
    return;
  }
  try {
    // Apollo ends its JSON with a newline; the same bytes here.
    const body = `${JSON.stringify(await route())}\n`;
    res.setHeader('content-type', 'application/graphql-response+json; charset=utf-8');
    res.end(body);
  } catch (error) {
    res.statusCode = 502;
    res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
  }
});
server.listen(0, '127.0.0.1', () => {
  console.log(`undici proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
