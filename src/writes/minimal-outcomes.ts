// What an idempotency record keeps of each mutation's result (issue 10, class 5): the ids and the
// few fields the payload needs, never the whole upstream answer (a large order's lines, a
// patient's name and email). A replay rebuilds the payload from them: an order is re-read, a
// prescription's personal fields come back from the replayed input, which is identical by
// construction (a different input under the key is IDEMPOTENCY_KEY_REUSED).
import type { RestOrder, RestOrderRequest, RestPrescription } from '../upstream/rest-types.ts';
import type { ValidPrescription } from './validate-input.ts';

/** Longest id or timestamp a record keeps; anything longer from upstream is not an id we can replay. */
const MAX_FIELD_CHARS = 255;

function bounded(value: string | null | undefined): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_FIELD_CHARS) : null;
}

export interface KeptOrder {
  id: string;
  shop_id: string;
}

/** updateOrderStatus: the order's id; a replay re-reads the order (its current state). */
export function keepOrder(order: RestOrder): KeptOrder {
  return { id: bounded(order.id) ?? '', shop_id: bounded(order.shop_id) ?? '' };
}

/** submitOrderRequest / submitExternalOrder: the order request is itself a handful of ids. */
export function keepOrderRequest(request: RestOrderRequest): RestOrderRequest {
  return {
    id: bounded(request.id) ?? '',
    status: bounded(request.status) ?? '',
    order_id: bounded(request.order_id),
    shop_id: bounded(request.shop_id) ?? '',
    created_at: bounded(request.created_at) ?? '',
  };
}

export type KeptPrescription = Pick<
  RestPrescription,
  'id' | 'shop_id' | 'status' | 'external_reference' | 'order_id' | 'created_at' | 'updated_at'
>;

/** ingestPrescription: ids, status and times; no personal data is stored. */
export function keepPrescription(rx: RestPrescription): KeptPrescription {
  return {
    id: bounded(rx.id) ?? '',
    shop_id: bounded(rx.shop_id) ?? '',
    status: bounded(rx.status) ?? '',
    external_reference: bounded(rx.external_reference),
    order_id: bounded(rx.order_id),
    created_at: bounded(rx.created_at) ?? '',
    updated_at: bounded(rx.updated_at) ?? '',
  };
}

/** The replayed prescription: the kept ids plus the personal fields of the (identical) input. */
export function replayPrescription(kept: KeptPrescription, input: ValidPrescription): RestPrescription {
  return {
    ...kept,
    patient_name: input.patient.name,
    patient_email: input.patient.email ?? null,
    doctor_name: input.doctorName,
    items: input.items.map((item) => ({ name: item.productName, quantity: item.quantity, dosage: item.dosage ?? null })),
  };
}
