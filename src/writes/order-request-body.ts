// The one place where an order input becomes PharmaOne's order-request body (§6/§7, and §8 without
// shop_id), and where PharmaOne's field names in a 400/422 map back to input paths.
import type { RestExternalOrderBody, RestOrderPayload, RestOrderRequestBody } from '../upstream/rest-types.ts';
import type { ValidOrder } from './validate-input.ts';

/** Integer cents → the JSON number PharmaOne takes (875 → 8.75, printed exactly as "8.75"). */
const euros = (cents: number): number => cents / 100;

function orderPayload(order: ValidOrder): RestOrderPayload {
  const address = order.customer.address;
  return {
    customer_name: order.customer.name,
    customer_email: order.customer.email,
    ...(address && {
      address_street: address.street,
      address_city: address.city,
      address_postal_code: address.postalCode,
      ...(address.phone !== undefined && { address_phone: address.phone }),
    }),
    ...(order.shippingOption !== undefined && { shipping_option: order.shippingOption }),
    // Computed by the gateway from the lines, in cents, so it always matches them.
    total_amount: euros(order.totalCents),
    items: order.items.map((item) => ({
      name: item.name,
      quantity: item.quantity,
      price: euros(item.unitCents),
      ...(item.p1Id !== undefined && { p1_id: item.p1Id }),
    })),
  };
}

export function orderRequestBody(order: ValidOrder): RestOrderRequestBody {
  return {
    shop_id: order.shopId,
    ...(order.externalReference !== undefined && { external_reference: order.externalReference }),
    ...(order.source !== undefined && { source: order.source }),
    payload: orderPayload(order),
  };
}

/** §8: the shop proxy injects its own shop_id. */
export function externalOrderBody(order: ValidOrder): RestExternalOrderBody {
  return {
    ...(order.externalReference !== undefined && { external_reference: order.externalReference }),
    ...(order.source !== undefined && { source: order.source }),
    payload: orderPayload(order),
  };
}

const FIELD_PATHS: Record<string, string[]> = {
  shop_id: ['shopId'],
  external_reference: ['externalReference'],
  source: ['source'],
  'payload.customer_name': ['customer', 'name'],
  'payload.customer_email': ['customer', 'email'],
  'payload.address_street': ['customer', 'address', 'street'],
  'payload.address_city': ['customer', 'address', 'city'],
  'payload.address_postal_code': ['customer', 'address', 'postalCode'],
  'payload.address_phone': ['customer', 'address', 'phone'],
  'payload.shipping_option': ['shippingOption'],
  'payload.total_amount': ['items'],
  'payload.items': ['items'],
  'Idempotency-Key': ['idempotencyKey'],
};
const ITEM_FIELDS: Record<string, string> = { name: 'name', quantity: 'quantity', price: 'unitPrice', p1_id: 'p1Id' };

/** PharmaOne's field name in an error (`payload.items[0].price`) → the input path (`input.items.0.unitPrice`). */
export function orderInputPath(upstreamField: string): string[] | null {
  const item = /^payload\.items\[(\d+)\]\.(\w+)$/.exec(upstreamField);
  if (item) return ['input', 'items', item[1] ?? '', ...[ITEM_FIELDS[item[2] ?? '']].filter((field) => field !== undefined)];
  const path = FIELD_PATHS[upstreamField];
  return path ? ['input', ...path] : null;
}
