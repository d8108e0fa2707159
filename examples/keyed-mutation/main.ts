// `npm run example:keyed-mutation`: a write made safe to retry, against a running gateway
// (`npm start`). It submits an order request with an idempotencyKey, sends the very same request
// again (as a client does after a timeout, not knowing whether the first one arrived) and gets the
// first outcome back without a second order, then shows that the key cannot be reused for another
// input. GATEWAY_URL, PHARMAONE_APIKEY and PHARMAONE_ORG default to the local gateway, the
// sandbox's demo key and org1.
import { randomUUID } from 'node:crypto';
import { createGatewayClient } from '../client/client.ts';
import type { SubmitOrderRequestInput } from '../client/generated/graphql.ts';
import { KeyedOrderRequestDocument } from '../client/generated/graphql.ts';

const client = createGatewayClient({
  url: process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql',
  apikey: process.env.PHARMAONE_APIKEY ?? 'sandbox-org1-key',
});

// One key per intended write, made before the first attempt and kept for every retry of it.
const input: SubmitOrderRequestInput = {
  orgId: process.env.PHARMAONE_ORG ?? 'org1',
  shopId: 'shop1',
  customer: { name: 'Max Mustermann', email: 'max@example.com', address: { street: 'Musterstr. 1', city: 'Berlin', postalCode: '10115' } },
  items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10' }],
  idempotencyKey: randomUUID(),
};

async function submit(attempt: string, variables: { input: SubmitOrderRequestInput }) {
  const { data } = await client.execute(KeyedOrderRequestDocument, variables);
  const { orderRequest, userErrors } = data.submitOrderRequest;
  for (const error of userErrors) console.log(`${attempt}: refused, ${error.code}: ${error.message}`);
  if (orderRequest) console.log(`${attempt}: order request ${orderRequest.id} (order ${orderRequest.orderId ?? 'not yet created'})`);
  return orderRequest?.id;
}

const first = await submit('first attempt', { input });
const retry = await submit('retry, same key', { input });
console.log(retry === first ? 'the retry replayed the first outcome: one order, not two' : 'the retry made a second order!');
await submit('same key, other input', { input: { ...input, items: input.items.map((item) => ({ ...item, quantity: 2 })) } });
