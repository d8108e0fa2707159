// The JSON shapes PharmaOne sends, built from the sandbox's records. Field names and order
// follow the seed page (§3, §4, §13) where it shows them; money goes out as euros.
import { centsToEuros } from './money.ts';
import type { InventoryItem, Order, OrderRequest, Prescription, Product, Shop } from './model.ts';

/** The shape with the order's raw wire overrides applied to the keys it has (see Order.wireOverrides). */
function withOverrides<T extends Record<string, unknown>>(order: Order, shape: T): T {
  if (!order.wireOverrides) return shape;
  const result: Record<string, unknown> = { ...shape };
  for (const [key, value] of Object.entries(order.wireOverrides)) if (key in result) result[key] = value;
  return result as T;
}

/** §3: exactly the seed's list fields. */
export function orderSummary(order: Order) {
  return withOverrides(order, {
    id: order.id,
    shop_id: order.shopId,
    customer_name: order.customerName,
    status: order.status,
    payment_status: order.paymentStatus,
    total_amount: centsToEuros(order.totalCents),
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  });
}

/** §4: the order itself, unwrapped, in the seed's field order. */
export function orderDetail(order: Order) {
  return withOverrides(order, {
    id: order.id,
    shop_id: order.shopId,
    customer_name: order.customerName,
    customer_email: order.customerEmail,
    status: order.status,
    payment_status: order.paymentStatus,
    total_amount: centsToEuros(order.totalCents),
    items: order.items.map((item) => ({
      name: item.name,
      quantity: item.quantity,
      price: centsToEuros(item.priceCents),
      p1_id: item.p1Id,
    })),
    shipping_address:
      order.shippingAddress === null
        ? null
        : {
            street: order.shippingAddress.street,
            city: order.shippingAddress.city,
            postal_code: order.shippingAddress.postalCode,
            phone: order.shippingAddress.phone,
          },
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  });
}

/** §2: `url` is the shop's proxy base on this sandbox. */
export function shopJson(shop: Shop, baseUrl: string) {
  return { id: shop.id, name: shop.name, url: `${baseUrl}/shops/${shop.id}`, active: shop.active };
}

/** §6/§7/§8 reply. */
export function orderRequestJson(request: OrderRequest) {
  return {
    id: request.id,
    status: request.status,
    order_id: request.orderId,
    shop_id: request.shopId,
    created_at: request.createdAt,
  };
}

/** §9 (and §10's reply). */
export function prescriptionJson(prescription: Prescription) {
  return {
    id: prescription.id,
    shop_id: prescription.shopId,
    status: prescription.status,
    patient_name: prescription.patientName,
    patient_email: prescription.patientEmail,
    doctor_name: prescription.doctorName,
    external_reference: prescription.externalReference,
    order_id: prescription.orderId,
    items: prescription.items.map((item) => ({ name: item.name, quantity: item.quantity, dosage: item.dosage })),
    created_at: prescription.createdAt,
    updated_at: prescription.updatedAt,
  };
}

/** §11. */
export function inventoryJson(item: InventoryItem) {
  return {
    p1_id: item.p1Id,
    shop_id: item.shopId,
    name: item.name,
    quantity: item.quantity,
    reserved: item.reserved,
    unit: item.unit,
    reorder_level: item.reorderLevel,
    updated_at: item.updatedAt,
  };
}

/** §12. */
export function productJson(product: Product) {
  return {
    id: product.id,
    p1_id: product.p1Id,
    shop_id: product.shopId,
    name: product.name,
    category: product.category,
    price: centsToEuros(product.priceCents),
    unit: product.unit,
    active: product.active,
  };
}
