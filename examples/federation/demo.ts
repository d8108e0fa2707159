// `npm run federation:demo`: the PharmaOne sandbox, this gateway as a Federation 2 subgraph, the
// example deliveries subgraph and Hive Gateway in front of both, all on 127.0.0.1. Ports, clear of
// `npm start` (4000) and its sandbox (4010) so both can run at once: FEDERATION_DEMO_ROUTER_PORT
// (4100), FEDERATION_DEMO_PHARMAONE_PORT (4101), FEDERATION_DEMO_DELIVERIES_PORT (4102),
// FEDERATION_DEMO_SANDBOX_PORT (4110); 0 picks a free one. Ctrl-C stops everything.
import { loadConfig } from '../../src/config.ts';
import { startGateway } from '../../src/gateway.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { composeExample } from './compose.ts';
import { startDeliveriesSubgraph } from './deliveries/subgraph.ts';
import type { DeliveryRecord } from './deliveries/subgraph.ts';
import { startHiveGateway } from './hive-gateway.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const closers: Array<() => Promise<void>> = [];

const sandbox = await startSandbox({ port: port('FEDERATION_DEMO_SANDBOX_PORT', 4110) });
closers.unshift(() => sandbox.close());
const pharmaone = await startGateway(
  loadConfig({
    ...process.env,
    PORT: String(port('FEDERATION_DEMO_PHARMAONE_PORT', 4101)),
    HOST: '127.0.0.1',
    FEDERATION_SUBGRAPH: 'true',
  }),
  { baseUrl: sandbox.url, shopUrlTemplate: sandbox.shopUrlTemplate },
);
closers.unshift(() => pharmaone.close());
// Hive Gateway's logger also reads LOG_LEVEL and refuses this gateway's `silent`; the subgraph has read it already.
if (process.env.LOG_LEVEL?.toLowerCase() === 'silent') process.env.LOG_LEVEL = 'error';

// The deliveries subgraph's parcels: org1's newest shipped orders in the sandbox.
const shipped = await fetch(pharmaone.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
  body: JSON.stringify({ query: '{ org(id: "org1") { orders(first: 5, filter: { status: SHIPPED }) { nodes { id } } } }' }),
}).then((res) => res.json() as Promise<{ data: { org: { orders: { nodes: Array<{ id: string }> } } } }>);
const carriers = ['DHL', 'UPS', 'DPD'];
const parcels: DeliveryRecord[] = shipped.data.org.orders.nodes.map((order, i) => ({
  id: `${carriers[i % carriers.length]}-${String(i + 1).padStart(5, '0')}`,
  carrier: carriers[i % carriers.length] ?? 'DHL',
  trackingUrl: i % 2 === 0 ? `https://tracking.example/${order.id}` : null,
  orgId: 'org1',
  orderId: order.id,
}));
const deliveries = await startDeliveriesSubgraph({ port: port('FEDERATION_DEMO_DELIVERIES_PORT', 4102), deliveries: parcels });
closers.unshift(() => deliveries.close());

const { supergraphSdl } = composeExample({ pharmaone: pharmaone.url, deliveries: deliveries.url });
const router = await startHiveGateway({ supergraphSdl, port: port('FEDERATION_DEMO_ROUTER_PORT', 4100) });
closers.unshift(() => router.close());

console.log(`PharmaOne sandbox      ${sandbox.url}`);
console.log(`PharmaOne subgraph     ${pharmaone.url}  (FEDERATION_SUBGRAPH=true)`);
console.log(`deliveries subgraph    ${deliveries.url}`);
console.log(`Hive Gateway           ${router.url}  (open it in a browser; add the header {"apikey": "sandbox-org1-key"})`);
console.log('Try:');
console.log(
  `  curl -s ${router.url} -H 'content-type: application/json' -H 'apikey: sandbox-org1-key' \\\n` +
    `    -d '{"query":"{ recentDeliveries(orgId: \\"org1\\") { id carrier trackingUrl order { id status items { name quantity } shop { name } } } }"}'`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      for (const close of closers) await close();
      process.exit(0);
    })();
  });
}
