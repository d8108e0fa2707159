// The live order board's rules, without a browser: which column a card is in after each event,
// the events list, the bounds. test/feed/playground.test.ts shows the same on the page, fed by
// the gateway's orderEvents.
import { describe, expect, it } from 'vitest';
import { applyResult, boardColumns, IDLE_BOARD, liveBoard, MAX_CARDS, MAX_EVENTS } from '../../graphiql/board/board-state.ts';

describe('the order board', () => {
  const event = (type: string, id: string, status: string, previousStatus: string | null = null) => ({
    data: {
      orderEvents: { type, at: '2026-06-14T10:00:00Z', previousStatus, order: { id, status, customerName: 'Max', shop: { name: 'S' } } },
    },
  });

  it('adds a card on CREATED, moves it on STATUS_CHANGED, and lists the newest events first', () => {
    let state = liveBoard();
    state = applyResult(state, event('CREATED', 'o1', 'PENDING'));
    state = applyResult(state, event('STATUS_CHANGED', 'o2', 'PACKED', 'AWAITING_PACKING'));
    state = applyResult(state, event('STATUS_CHANGED', 'o1', 'AWAITING_PACKING', 'PENDING'));
    const columns = Object.fromEntries(boardColumns(state).map((column) => [column.status, column.cards.map((card) => card.id)]));
    expect(columns).toEqual({
      PENDING: [],
      AWAITING_PACKING: ['o1'],
      PACKED: ['o2'],
      SHIPPED: [],
      READY_FOR_PICKUP: [],
      COMPLETED: [],
      CANCELLED: [],
    });
    expect(state.events.map((entry) => `${entry.type} ${entry.orderId} ${entry.previousStatus}→${entry.status}`)).toEqual([
      'STATUS_CHANGED o1 PENDING→AWAITING_PACKING',
      'STATUS_CHANGED o2 AWAITING_PACKING→PACKED',
      'CREATED o1 null→PENDING',
    ]);
  });

  it('gives a status outside the lifecycle its own column, and fails on errors', () => {
    const state = applyResult(liveBoard(), event('STATUS_CHANGED', 'o1', 'UNKNOWN'));
    expect(boardColumns(state).at(-1)).toMatchObject({ status: 'UNKNOWN', cards: [{ id: 'o1' }] });
    expect(applyResult(state, { errors: [{ message: 'Not allowed' }] })).toMatchObject({ phase: 'failed', message: 'Not allowed' });
  });

  it('ignores results that are not events, and keeps at most its bound of cards and events', () => {
    expect(applyResult(IDLE_BOARD, { data: { orderEvents: null } })).toBe(IDLE_BOARD);
    let state = liveBoard();
    for (let i = 0; i < MAX_CARDS + 5; i += 1) state = applyResult(state, event('CREATED', `o${i}`, 'PENDING'));
    expect(state.cards.size).toBe(MAX_CARDS);
    expect(state.cards.has('o0')).toBe(false);
    expect(state.events).toHaveLength(MAX_EVENTS);
  });
});
