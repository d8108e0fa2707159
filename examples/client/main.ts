// `npm run example:client`: the example client against a running gateway (`npm start`).
// GATEWAY_URL and PHARMAONE_APIKEY default to the local gateway and the sandbox's demo key.
import { createGatewayClient } from './client.ts';
import { DashboardStatsDocument, NestedOrdersDocument } from './generated/graphql.ts';

const client = createGatewayClient({
  url: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
  apikey: process.env.PHARMAONE_APIKEY ?? 'sandbox-org1-key',
});
const orgId = process.env.PHARMAONE_ORG ?? 'org1';

const { data: stats } = await client.execute(DashboardStatsDocument, { orgId });
const dashboard = stats.org?.reports.dashboard;
console.log(`prescriptions: ${dashboard?.prescriptions.total} (${dashboard?.prescriptions.pending} pending)`);
for (const shop of dashboard?.shopPerformance ?? []) {
  console.log(`${shop.name}: ${shop.orderCount} orders, €${shop.totalRevenue}`);
}

const { data: orders, errors } = await client.execute(NestedOrdersDocument, { orgId, first: 3 });
for (const order of orders.org?.shop?.orders?.nodes ?? []) {
  const lines = (order.items ?? []).map((item) => `${item.quantity}× ${item.name}`).join(', ');
  console.log(`${order.id} ${order.status} €${order.totalAmount?.amount ?? '?'}: ${lines}`);
}
for (const error of errors) console.warn(`partial result at ${error.path?.join('.')}: ${error.extensions?.code}`);
