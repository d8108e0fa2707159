// The live order board's state: one card per order seen on the feed, filed under its current
// status, and the last events. Pure: each orderEvents result makes the next state, so a card
// moves when a STATUS_CHANGED says so and appears on CREATED (or on the first event about it).

/** The lifecycle in board order (src/sandbox/order-transitions.ts); a status not listed gets a column after these. */
export const BOARD_STATUSES = ['PENDING', 'AWAITING_PACKING', 'PACKED', 'SHIPPED', 'READY_FOR_PICKUP', 'COMPLETED', 'CANCELLED'];

export interface BoardCard {
  id: string;
  status: string;
  customer: string | null;
  total: { amount: string; currency: string } | null;
  shop: string | null;
  /** Sequence number of the event that last touched it: the newest card is highlighted. */
  touched: number;
}

export interface BoardEvent {
  seq: number;
  type: string;
  at: string | null;
  orderId: string;
  previousStatus: string | null;
  status: string;
}

export interface BoardState {
  phase: 'idle' | 'live' | 'stopped' | 'failed';
  /** Why it failed or ended, in the server's words. */
  message: string | null;
  cards: ReadonlyMap<string, BoardCard>;
  /** Newest first. */
  events: readonly BoardEvent[];
  seq: number;
}

/** Bounds the page's memory on a busy org: the oldest cards and events give way. */
export const MAX_CARDS = 500;
export const MAX_EVENTS = 20;

export const IDLE_BOARD: BoardState = { phase: 'idle', message: null, cards: new Map(), events: [], seq: 0 };

export function liveBoard(): BoardState {
  return { ...IDLE_BOARD, phase: 'live' };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The next state after one result of the subscription (an event, or errors). */
export function applyResult(state: BoardState, result: unknown): BoardState {
  const body = record(result);
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (errors.length > 0) {
    const message = errors.map((error) => text(record(error)?.message) ?? 'error').join('; ');
    return { ...state, phase: 'failed', message };
  }
  // The one root field, whatever its alias.
  const data = record(body?.data);
  const event = record(data ? Object.values(data)[0] : null);
  const order = record(event?.order);
  const id = text(order?.id);
  const status = text(order?.status);
  if (!event || !id || !status) return state;

  const seq = state.seq + 1;
  const total = record(order?.totalAmount);
  const card: BoardCard = {
    id,
    status,
    customer: text(order?.customerName),
    total: total && text(total.amount) ? { amount: String(total.amount), currency: text(total.currency) ?? 'EUR' } : null,
    shop: text(record(order?.shop)?.name),
    touched: seq,
  };
  const cards = new Map(state.cards);
  cards.delete(id);
  cards.set(id, card);
  while (cards.size > MAX_CARDS) cards.delete(cards.keys().next().value as string);
  const entry: BoardEvent = {
    seq,
    type: text(event.type) ?? 'EVENT',
    at: text(event.at),
    orderId: id,
    previousStatus: text(event.previousStatus),
    status,
  };
  return { ...state, cards, seq, events: [entry, ...state.events].slice(0, MAX_EVENTS) };
}

/** The board's columns: the lifecycle, then any other status a card has. */
export function boardColumns(state: BoardState): Array<{ status: string; cards: BoardCard[] }> {
  const statuses = [...BOARD_STATUSES];
  for (const card of state.cards.values()) if (!statuses.includes(card.status)) statuses.push(card.status);
  return statuses.map((status) => ({
    status,
    cards: [...state.cards.values()].filter((card) => card.status === status).sort((a, b) => b.touched - a.touched),
  }));
}
