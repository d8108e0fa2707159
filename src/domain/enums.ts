// PharmaOne's lowercase status strings ↔ the graph's enum values. The upstream may add values we
// do not know (DESIGN.md §1): reading maps those to UNKNOWN and keeps the raw string, and never
// throws, so one odd row cannot fail a whole list. Writing is the reverse and has no UNKNOWN.

export const ORDER_STATUSES = [
  'PENDING',
  'AWAITING_PACKING',
  'PACKED',
  'SHIPPED',
  'READY_FOR_PICKUP',
  'COMPLETED',
  'CANCELLED',
  'UNKNOWN',
] as const;
export type OrderStatusValue = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'FAILED', 'REFUNDED', 'UNKNOWN'] as const;
export type PaymentStatusValue = (typeof PAYMENT_STATUSES)[number];

export const PRESCRIPTION_STATUSES = ['PENDING', 'APPROVED', 'COMPLETED', 'DECLINED', 'UNKNOWN'] as const;
export type PrescriptionStatusValue = (typeof PRESCRIPTION_STATUSES)[number];

/** A status read from PharmaOne: the enum value and the string that was actually sent. */
export interface MappedStatus<V extends string> {
  value: V;
  /** The upstream string as sent; "" when the field was missing or not a string. */
  raw: string;
}

/**
 * The strings PharmaOne actually sends (lowercase, e.g. "awaiting_packing") mapped once: a list
 * of 45 orders reads each status several times (status, statusRaw, filters), and this makes that a
 * Map lookup returning one shared frozen answer. Anything else takes the tolerant path below.
 */
const canonicalByFamily = new Map<readonly string[], Map<string, MappedStatus<string>>>();

function canonical<V extends string>(known: readonly V[]): Map<string, MappedStatus<V | 'UNKNOWN'>> {
  let map = canonicalByFamily.get(known);
  if (!map) {
    map = new Map(known.filter((v) => v !== 'UNKNOWN').map((v) => [v.toLowerCase(), Object.freeze({ value: v, raw: v.toLowerCase() })]));
    canonicalByFamily.set(known, map);
  }
  return map as Map<string, MappedStatus<V | 'UNKNOWN'>>;
}

function fromRest<V extends string>(known: readonly V[], raw: unknown): MappedStatus<V | 'UNKNOWN'> {
  if (typeof raw === 'string') {
    const mapped = canonical(known).get(raw);
    if (mapped) return mapped;
  }
  const text = typeof raw === 'string' ? raw : '';
  // Case-insensitive: "Completed" is still completed; anything else is honestly UNKNOWN.
  const candidate = text.trim().toUpperCase();
  const value = known.find((v) => v !== 'UNKNOWN' && v === candidate);
  return { value: value ?? 'UNKNOWN', raw: text };
}

type Known<V extends string> = Exclude<V, 'UNKNOWN'>;

function toRest(value: string): string | null {
  return value === 'UNKNOWN' ? null : value.toLowerCase();
}

export function orderStatusFromRest(raw: unknown): MappedStatus<OrderStatusValue> {
  return fromRest(ORDER_STATUSES, raw);
}

export function paymentStatusFromRest(raw: unknown): MappedStatus<PaymentStatusValue> {
  return fromRest(PAYMENT_STATUSES, raw);
}

export function prescriptionStatusFromRest(raw: unknown): MappedStatus<PrescriptionStatusValue> {
  return fromRest(PRESCRIPTION_STATUSES, raw);
}

/** The upstream string for a status filter or PATCH body; null for UNKNOWN, which PharmaOne cannot take. */
export function orderStatusToRest(value: Known<OrderStatusValue>): Lowercase<Known<OrderStatusValue>>;
export function orderStatusToRest(value: OrderStatusValue): Lowercase<Known<OrderStatusValue>> | null;
export function orderStatusToRest(value: OrderStatusValue): string | null {
  return toRest(value);
}

/** The upstream `payment_status` filter value; null for UNKNOWN. */
export function paymentStatusToRest(value: Known<PaymentStatusValue>): string;
export function paymentStatusToRest(value: PaymentStatusValue): string | null;
export function paymentStatusToRest(value: PaymentStatusValue): string | null {
  return toRest(value);
}

/** The upstream prescription `status` filter value; null for UNKNOWN. */
export function prescriptionStatusToRest(value: Known<PrescriptionStatusValue>): string;
export function prescriptionStatusToRest(value: PrescriptionStatusValue): string | null;
export function prescriptionStatusToRest(value: PrescriptionStatusValue): string | null {
  return toRest(value);
}
