// The order lifecycle (DESIGN.md §1): pending → awaiting_packing → packed → shipped |
// ready_for_pickup → completed, and any state that is not final → cancelled.
import type { OrderStatus } from './model.ts';

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ['awaiting_packing', 'cancelled'],
  awaiting_packing: ['packed', 'cancelled'],
  packed: ['shipped', 'ready_for_pickup', 'cancelled'],
  shipped: ['completed', 'cancelled'],
  ready_for_pickup: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function allowedTransitions(from: OrderStatus): readonly OrderStatus[] {
  return NEXT[from];
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}
