// The feed's one rule, as a table: which observation of which snapshot makes which event.
import { describe, expect, it } from 'vitest';
import { compareTimestamps, emptySnapshot, planChanges, usableRows } from '../../src/feed/changes/order-versions.ts';
import type { Observation, OrderRow, Snapshot } from '../../src/feed/changes/order-versions.ts';

const T = (n: number) => `2026-06-14T10:00:00.${String(n).padStart(6, '0')}Z`;

function row(id: string, status: string, updated: number, created = 1): OrderRow {
  return {
    id,
    shop_id: 'shop1',
    customer_name: 'x',
    status,
    payment_status: 'paid',
    total_amount: 1,
    created_at: T(created),
    updated_at: T(updated),
  } as OrderRow;
}

const polled = (orders: Record<string, [string, number, number]>, floor: number | null = null): Snapshot => ({
  polled: true,
  floor: floor === null ? null : T(floor),
  orders: Object.fromEntries(Object.entries(orders).map(([id, [status, updated, created]]) => [id, [status, T(updated), T(created)]])),
});

const poll = (rows: OrderRow[], pageFull = false): Observation => ({ source: 'poll', rows, pageFull });

describe('planChanges', () => {
  it.each([
    ['the first poll is a baseline', emptySnapshot(), poll([row('A', 'pending', 1)]), []],
    ['an unchanged row', polled({ A: ['pending', 1, 1] }), poll([row('A', 'pending', 1)]), []],
    ['a status change', polled({ A: ['pending', 1, 1] }), poll([row('A', 'packed', 2)]), [['STATUS_CHANGED', 'A', 'pending']]],
    ['a change without a new status', polled({ A: ['pending', 1, 1] }), poll([row('A', 'pending', 2)]), [['UPDATED', 'A', null]]],
    ['an older answer never undoes a newer version', polled({ A: ['packed', 5, 1] }), poll([row('A', 'pending', 1)]), []],
    [
      'a new order (page not full)',
      polled({ A: ['pending', 1, 1] }),
      poll([row('B', 'pending', 9, 9), row('A', 'pending', 1)]),
      [['CREATED', 'B', null]],
    ],
    [
      'a new order newer than the floor',
      polled({ A: ['pending', 5, 5] }, 5),
      poll([row('B', 'pending', 9, 9), row('A', 'pending', 5, 5)], true),
      [['CREATED', 'B', null]],
    ],
    [
      'an old order moving into a full page is no news',
      polled({ A: ['pending', 5, 5] }, 5),
      poll([row('A', 'pending', 5, 5), row('Z', 'pending', 2, 2)], true),
      [],
    ],
    [
      'a gateway write of a known order',
      polled({ A: ['pending', 1, 1] }),
      { source: 'changed', rows: [row('A', 'cancelled', 3)] },
      [['STATUS_CHANGED', 'A', 'pending']],
    ],
    [
      'a gateway write of an unknown order',
      polled({}),
      { source: 'changed', rows: [row('Q', 'cancelled', 3)] },
      [['STATUS_CHANGED', 'Q', null]],
    ],
    ['a gateway write already seen', polled({ A: ['cancelled', 3, 1] }), { source: 'changed', rows: [row('A', 'cancelled', 3)] }, []],
    ['a created order', polled({}), { source: 'created', rows: [row('N', 'pending', 4, 4)] }, [['CREATED', 'N', null]]],
    ['a created order the poll saw first', polled({ N: ['pending', 4, 4] }), { source: 'created', rows: [row('N', 'pending', 4, 4)] }, []],
  ] as Array<[string, Snapshot, Observation, Array<[string, string, string | null]>]>)('%s', (_name, before, observation, expected) => {
    const { events } = planChanges(before, observation);
    expect(events.map((event) => [event.type, event.order.id, event.previousStatus])).toEqual(expected);
  });

  it('publishes a page oldest first and remembers exactly the page afterwards', () => {
    const before = polled({ A: ['pending', 1, 1], B: ['pending', 1, 2] });
    const { after, events } = planChanges(before, poll([row('B', 'packed', 7, 2), row('A', 'packed', 6, 1)]));
    expect(events.map((event) => event.order.id)).toEqual(['A', 'B']);
    expect(Object.keys(after.orders).sort()).toEqual(['A', 'B']);
    // Planning the same observation again on the result makes nothing: one change, one event.
    expect(planChanges(after, poll([row('B', 'packed', 7, 2), row('A', 'packed', 6, 1)])).events).toEqual([]);
  });

  // A poll reads its page, a gateway write commits its new order, then the poll commits (planned
  // again on the snapshot the write left): the order, newer than the whole page, stays known.
  it.each([
    ['a full page', true],
    ['a page that is not full', false],
  ])('keeps an order created after %s was read, so the next poll does not announce it again', (_name, pageFull) => {
    const base = polled({ A: ['pending', 5, 5] }, 5);
    const written = planChanges(base, { source: 'created', rows: [row('N', 'pending', 9, 9)] });
    expect(written.events.map((event) => [event.type, event.order.id])).toEqual([['CREATED', 'N']]);
    const stalePoll = planChanges(written.after, poll([row('A', 'pending', 5, 5)], pageFull));
    expect(stalePoll.events).toEqual([]);
    expect(Object.keys(stalePoll.after.orders).sort()).toEqual(['A', 'N']);
    const nextPoll = planChanges(stalePoll.after, poll([row('N', 'pending', 9, 9), row('A', 'pending', 5, 5)], pageFull));
    expect(nextPoll.events).toEqual([]);
  });

  it('forgets an order older than the page that left it (the page is what the snapshot keeps)', () => {
    const before = polled({ A: ['pending', 5, 5], OLD: ['pending', 1, 1] }, 1);
    const { after } = planChanges(before, poll([row('B', 'pending', 9, 9), row('A', 'pending', 5, 5)], true));
    expect(Object.keys(after.orders).sort()).toEqual(['A', 'B']);
  });
});

describe('compareTimestamps', () => {
  it('orders microseconds and treats unreadable text as oldest', () => {
    expect(compareTimestamps('2026-06-14T10:05:55.806759Z', '2026-06-14T10:05:55.806760Z')).toBe(-1);
    expect(compareTimestamps('2026-06-14T10:05:55.806759Z', '2026-06-14T10:05:55.806759Z')).toBe(0);
    expect(compareTimestamps('2026-06-14T12:05:55+02:00', '2026-06-14T10:05:55Z')).toBe(0);
    expect(compareTimestamps('garbage', '2026-06-14T10:05:55Z')).toBe(-1);
  });
});

describe('usableRows', () => {
  it('keeps well-formed rows only, and at most the page size', () => {
    const good = row('A', 'pending', 1);
    const page = { data: [good, null, 7, { id: 5 }, { ...good, id: 'x'.repeat(201) }, { ...good, status: undefined }, row('B', 'new', 1)] };
    expect(usableRows(page, 100).map((r) => r.id)).toEqual(['A', 'B']);
    expect(usableRows(page, 1).map((r) => r.id)).toEqual(['A']);
    expect(usableRows({ data: 'nope' }, 100)).toEqual([]);
    expect(usableRows(null, 100)).toEqual([]);
  });

  it.each(['__proto__', '..', 'a/b', '', 'x'.repeat(65), 'ORD 1', 'ORD_1?x=1'])(
    'drops a row whose id %j is outside PharmaOne id grammar, so it never keys a snapshot map',
    (id) => {
      const page = { data: [row('A', 'pending', 1), { ...row('A', 'pending', 1), id }] };
      expect(usableRows(page, 100).map((r) => r.id)).toEqual(['A']);
      const { after } = planChanges(emptySnapshot(), { source: 'poll', rows: usableRows(page, 100), pageFull: false });
      expect(Object.getPrototypeOf(after.orders)).toBe(Object.prototype);
      expect(Object.keys(after.orders)).toEqual(['A']);
    },
  );

  it.each(['constructor', 'toString', 'hasOwnProperty'])('treats an id %j like any other: a new order, its own entry', (id) => {
    const polled = planChanges(emptySnapshot(), { source: 'poll', rows: [row('A', 'pending', 1)], pageFull: false }).after;
    const { after, events } = planChanges(polled, {
      source: 'poll',
      rows: [{ ...row('A', 'pending', 2), id }, row('A', 'pending', 1)],
      pageFull: false,
    });
    expect(events.map((event) => [event.type, event.order.id, event.previousStatus])).toEqual([['CREATED', id, null]]);
    expect(Object.keys(after.orders).sort()).toEqual(['A', id].sort());
  });
});
