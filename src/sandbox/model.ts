// The sandbox's in-memory records. Money is integer cents and timestamps are PharmaOne's
// microsecond ISO strings; wire-format.ts turns these into the JSON PharmaOne sends.

export const ORDER_STATUSES = ['pending', 'awaiting_packing', 'packed', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PRESCRIPTION_STATUSES = ['pending', 'approved', 'completed', 'declined'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

export interface Shop {
  id: string;
  orgId: string;
  name: string;
  active: boolean;
}

export interface OrderItem {
  name: string;
  quantity: number;
  priceCents: number;
  /** "" for items outside the catalog, as PharmaOne sends them. */
  p1Id: string;
}

export interface ShippingAddress {
  street: string;
  city: string;
  postalCode: string;
  phone: string | null;
}

export interface Order {
  id: string;
  shopId: string;
  customerName: string;
  customerEmail: string;
  status: OrderStatus;
  paymentStatus: PaymentStatus;
  totalCents: number;
  items: OrderItem[];
  /** Null for orders created without an address (a pickup order from the smoke test, say). */
  shippingAddress: ShippingAddress | null;
  /** Not on the wire; kept so seeded totals can be explained (items + shipping). */
  shippingOption: string;
  createdAt: string;
  updatedAt: string;
  /**
   * Raw wire values that replace what the fields above would send (set through the admin route
   * PATCH /_sandbox/orgs/{org}/orders/{id}): lets tests play a PharmaOne that sends a malformed
   * `created_at`, an out-of-range or non-numeric `total_amount`, and so on.
   */
  wireOverrides?: Record<string, unknown>;
}

export interface OrderRequest {
  id: string;
  status: 'received';
  orderId: string;
  shopId: string;
  externalReference: string | null;
  source: string | null;
  createdAt: string;
}

export interface PrescriptionItem {
  name: string;
  quantity: number;
  dosage: string | null;
}

export interface Prescription {
  id: string;
  shopId: string;
  status: PrescriptionStatus;
  patientName: string;
  patientEmail: string | null;
  /** Ingested but not part of the list shape. */
  patientDateOfBirth: string | null;
  doctorName: string;
  /** Ingested but not part of the list shape. */
  issuedAt: string | null;
  externalReference: string | null;
  orderId: string | null;
  items: PrescriptionItem[];
  createdAt: string;
  updatedAt: string;
}

export interface Product {
  id: string;
  p1Id: string;
  shopId: string;
  name: string;
  category: string;
  priceCents: number;
  unit: string;
  active: boolean;
}

export interface InventoryItem {
  p1Id: string;
  shopId: string;
  name: string;
  quantity: number;
  reserved: number;
  unit: string;
  reorderLevel: number;
  updatedAt: string;
}

export interface OrgData {
  id: string;
  shops: Shop[];
  /** Newest first (created_at desc), the order every list endpoint answers in. */
  orders: Order[];
  /** Newest first. */
  prescriptions: Prescription[];
  products: Product[];
  inventory: InventoryItem[];
}
