// The one rule that turns what the gateway sees of an org's orders into events: a scope keeps a
// snapshot (each recent order's status and updated_at), and an event is published exactly when an
// observation changes that snapshot. Pollers, gateway writes and every replica go through this
// rule (the bus commits a plan only if the snapshot is still the one it was planned on), so the
// same change can never become two events, whoever sees it first.
import { isUpstreamId } from '../../upstream/upstream-ids.ts';
import type { RestOrder, RestOrderSummary } from '../../upstream/rest-types.ts';

export type OrderRow = RestOrderSummary | RestOrder;

export type OrderEventType = 'CREATED' | 'STATUS_CHANGED' | 'UPDATED';

/** How an order version was observed. */
export type Observation =
  /** The newest page of GET /orders; `pageFull`: it had as many rows as asked for. */
  | { source: 'poll'; rows: OrderRow[]; pageFull: boolean }
  /** A gateway write created this order. */
  | { source: 'created'; rows: OrderRow[] }
  /** A gateway write changed this order. */
  | { source: 'changed'; rows: OrderRow[] };

/** [status, updated_at, created_at] as PharmaOne sent them. */
type Version = [string, string, string];

export interface Snapshot {
  /** A poll has seen the newest page once: rows first seen after it are new orders. */
  polled: boolean;
  /** created_at of the oldest row of the last full page: older rows entering the page are not new. */
  floor: string | null;
  orders: Record<string, Version>;
}

export interface PlannedEvent {
  type: OrderEventType;
  order: OrderRow;
  previousStatus: string | null;
}

/** The most order versions a snapshot holds besides the polled page (gateway writes to older orders). */
const MAX_WRITTEN_ENTRIES = 500;

export function emptySnapshot(): Snapshot {
  return { polled: false, floor: null, orders: {} };
}

/** What an observation does to a snapshot: the snapshot after it, and the events it makes (in row order, oldest first). */
export function planChanges(before: Snapshot, observation: Observation): { after: Snapshot; events: PlannedEvent[] } {
  const orders: Record<string, Version> = { ...before.orders };
  const events: PlannedEvent[] = [];
  // Newest first on the wire; events go out oldest first.
  const rows = [...observation.rows].reverse();
  for (const row of rows) {
    const next = versionOf(row);
    // Own entries only: an id such as "constructor" must not find Object.prototype's.
    const known = ownVersion(orders, row.id);
    orders[row.id] = known && compareTimestamps(next[1], known[1]) < 0 ? known : next;
    const event = eventFor(known, next, row, observation, before);
    if (event) events.push(event);
  }
  if (observation.source !== 'poll') return { after: { ...before, orders: bound(orders, before) }, events };

  // The snapshot keeps the page as it is now (newer versions the writes saw win) and the floor moves.
  const page: Record<string, Version> = {};
  // Every row was merged into `orders` above; a row alone merges to its own version.
  for (const row of observation.rows) page[row.id] = ownVersion(orders, row.id) ?? versionOf(row);
  // An order created after every row of the page is missing from it because it did not exist when
  // the page was read (a gateway write committed while this poll was under way): it stays known,
  // else the next poll would announce it as CREATED a second time.
  const newest = newestCreatedAt(observation.rows);
  const newer = Object.entries(orders).filter(
    ([id, version]) => !Object.hasOwn(page, id) && (newest === null || compareTimestamps(version[2], newest) > 0),
  );
  for (const [id, version] of newer.slice(-MAX_WRITTEN_ENTRIES)) page[id] = version;
  const floor = observation.pageFull ? oldestCreatedAt(observation.rows) : null;
  return { after: { polled: true, floor, orders: page }, events: before.polled ? events : [] };
}

function eventFor(
  known: Version | undefined,
  next: Version,
  row: OrderRow,
  observation: Observation,
  before: Snapshot,
): PlannedEvent | null {
  if (known) {
    if (known[0] === next[0] && known[1] === next[1]) return null;
    // An older answer (a poll that started before a write) never undoes what is known.
    if (compareTimestamps(next[1], known[1]) < 0) return null;
    if (known[0] !== next[0]) return { type: 'STATUS_CHANGED', order: row, previousStatus: known[0] };
    return { type: 'UPDATED', order: row, previousStatus: null };
  }
  if (observation.source === 'created') return { type: 'CREATED', order: row, previousStatus: null };
  if (observation.source === 'changed') return { type: 'STATUS_CHANGED', order: row, previousStatus: null };
  // A row the poll has not seen: a new order if it is newer than the last page's oldest row;
  // otherwise an old order that moved into the page (e.g. a newer one left it), not news.
  if (before.floor === null || compareTimestamps(next[2], before.floor) > 0) return { type: 'CREATED', order: row, previousStatus: null };
  return null;
}

function ownVersion(orders: Record<string, Version>, id: string): Version | undefined {
  return Object.hasOwn(orders, id) ? orders[id] : undefined;
}

function versionOf(row: OrderRow): Version {
  return [String(row.status), String(row.updated_at), String(row.created_at)];
}

function newestCreatedAt(rows: OrderRow[]): string | null {
  let newest: string | null = null;
  for (const row of rows) if (newest === null || compareTimestamps(row.created_at, newest) > 0) newest = row.created_at;
  return newest;
}

function oldestCreatedAt(rows: OrderRow[]): string | null {
  let oldest: string | null = null;
  for (const row of rows) if (oldest === null || compareTimestamps(row.created_at, oldest) < 0) oldest = row.created_at;
  return oldest;
}

/** Written entries beyond the bound go, oldest write first (object keys keep insertion order). */
function bound(orders: Record<string, Version>, before: Snapshot): Record<string, Version> {
  const entries = Object.entries(orders);
  const limit = Object.keys(before.orders).length + MAX_WRITTEN_ENTRIES;
  if (entries.length <= limit) return orders;
  const kept: Record<string, Version> = {};
  for (const [id, version] of entries.slice(entries.length - limit)) kept[id] = version;
  return kept;
}

/** Orders timestamps: RFC 3339 instants compared as instants, with the microseconds PharmaOne sends. */
export function compareTimestamps(a: string, b: string): number {
  const [ma, fa] = instant(a);
  const [mb, fb] = instant(b);
  if (ma !== mb) return ma < mb ? -1 : 1;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return 0;
}

function instant(text: string): [number, number] {
  const ms = Date.parse(text);
  const micros = /\.\d{3}(\d{1,3})/.exec(text)?.[1] ?? '0';
  // An unreadable timestamp sorts first: it never hides a readable newer version.
  return Number.isNaN(ms) ? [Number.NEGATIVE_INFINITY, 0] : [ms, Number(micros.padEnd(3, '0'))];
}

/**
 * The rows of a GET /orders answer the feed can use: objects with string id, status, created_at
 * and updated_at. PharmaOne's answer is hostile input: anything else is skipped, never trusted.
 */
export function usableRows(page: unknown, max: number): OrderRow[] {
  const data = (page as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return [];
  const rows: OrderRow[] = [];
  for (const row of data.slice(0, max)) {
    const r = row as Record<string, unknown> | null;
    if (
      r &&
      typeof r === 'object' &&
      // PharmaOne's id grammar: a row that could not be fetched by id is no order we can show,
      // and no such id can name an object's own machinery ("__proto__") in the snapshot maps.
      typeof r.id === 'string' &&
      isUpstreamId(r.id) &&
      typeof r.status === 'string' &&
      typeof r.created_at === 'string' &&
      typeof r.updated_at === 'string' &&
      typeof r.shop_id === 'string'
    ) {
      rows.push(row as OrderRow);
    }
  }
  return rows;
}
