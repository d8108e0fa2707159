// Order requests (§6, §7 and, forwarded, §8): validation of the shared body and the order it
// creates. The order is created synchronously, pending and unpaid, and is the org's newest.
import { errorReply, ReplyError, validationFailed } from './errors.ts';
import type { Order, OrderItem, OrderRequest, OrgData, ShippingAddress } from './model.ts';
import { FieldErrors, isObject, moneyCents, optionalString, positiveInteger, requiredString } from './body-fields.ts';
import type { JsonObject } from './route-types.ts';
import type { Store } from './store.ts';

export interface OrderIntake {
  shopId: string;
  externalReference: string | null;
  source: string | null;
  customerName: string;
  customerEmail: string;
  shippingAddress: ShippingAddress | null;
  shippingOption: string;
  totalCents: number;
  items: OrderItem[];
}

/** Throws ReplyError: 400 without shop_id (seed §7), 422 listing every bad field otherwise. */
export function parseOrderRequest(body: JsonObject, org: OrgData): OrderIntake {
  if (body.shop_id === undefined || body.shop_id === null) {
    throw new ReplyError(errorReply(400, 'bad_request', 'shop_id is required'));
  }
  const errors = new FieldErrors();
  const shopId = requiredString(body, 'shop_id', 'shop_id', errors);
  if (shopId !== '' && !org.shops.some((shop) => shop.id === shopId)) errors.add('shop_id');
  const externalReference = optionalString(body, 'external_reference', 'external_reference', errors);
  const source = optionalString(body, 'source', 'source', errors);

  const payload = body.payload;
  if (!isObject(payload)) {
    errors.add('payload');
    throw new ReplyError(validationFailed(errors.fields));
  }
  const customerName = requiredString(payload, 'customer_name', 'payload.customer_name', errors);
  const customerEmail = requiredString(payload, 'customer_email', 'payload.customer_email', errors, false);
  const street = optionalString(payload, 'address_street', 'payload.address_street', errors);
  const city = optionalString(payload, 'address_city', 'payload.address_city', errors);
  const postalCode = optionalString(payload, 'address_postal_code', 'payload.address_postal_code', errors);
  const phone = optionalString(payload, 'address_phone', 'payload.address_phone', errors);
  const shippingOption = optionalString(payload, 'shipping_option', 'payload.shipping_option', errors);
  const items = parseItems(payload.items, errors);
  const givenTotal =
    payload.total_amount === undefined || payload.total_amount === null
      ? undefined
      : moneyCents(payload.total_amount, 'payload.total_amount', errors);
  if (errors.any) throw new ReplyError(validationFailed(errors.fields));

  const anyAddress = street !== null || city !== null || postalCode !== null || phone !== null;
  return {
    shopId,
    externalReference,
    source,
    customerName,
    customerEmail,
    shippingAddress: anyAddress ? { street: street ?? '', city: city ?? '', postalCode: postalCode ?? '', phone } : null,
    shippingOption: shippingOption ?? '',
    // A given total is taken as sent (it may include shipping); otherwise the items' exact sum.
    totalCents: givenTotal ?? items.reduce((sum, item) => sum + item.quantity * item.priceCents, 0),
    items,
  };
}

function parseItems(value: unknown, errors: FieldErrors): OrderItem[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add('payload.items');
    return [];
  }
  return value.map((item: unknown, index) => {
    const at = `payload.items[${index}]`;
    if (!isObject(item)) {
      errors.add(at);
      return { name: '', quantity: 0, priceCents: 0, p1Id: '' };
    }
    return {
      name: requiredString(item, 'name', `${at}.name`, errors),
      quantity: positiveInteger(item, 'quantity', `${at}.quantity`, errors),
      priceCents: moneyCents(item.price, `${at}.price`, errors),
      p1Id: optionalString(item, 'p1_id', `${at}.p1_id`, errors) ?? '',
    };
  });
}

export function createOrderFromRequest(store: Store, org: OrgData, intake: OrderIntake): OrderRequest {
  const createdAt = store.stamp();
  const order: Order = {
    id: store.newId('ORD', createdAt),
    shopId: intake.shopId,
    customerName: intake.customerName,
    customerEmail: intake.customerEmail,
    status: 'pending',
    paymentStatus: 'pending',
    totalCents: intake.totalCents,
    items: intake.items,
    shippingAddress: intake.shippingAddress,
    shippingOption: intake.shippingOption,
    createdAt,
    updatedAt: createdAt,
  };
  store.addOrder(org, order);
  const request: OrderRequest = {
    id: store.newId('REQ', createdAt),
    status: 'received',
    orderId: order.id,
    shopId: intake.shopId,
    externalReference: intake.externalReference,
    source: intake.source,
    createdAt,
  };
  store.addOrderRequest(org, request);
  return request;
}
