// Seeded prescriptions. The status mix is given exactly (org1 must reproduce the seed's
// dashboard block: 174 pending, 40 approved, 730 completed, 17 declined); older prescriptions
// tend to be completed, recent ones pending. About 30 % of all are linked to an order of the
// same shop placed shortly after the prescription.
import type { Order, Prescription, PrescriptionItem, PrescriptionStatus } from '../model.ts';
import { alphanumeric, chance, intBetween, pick, type Random } from '../prng.ts';
import { idDate, isoToMicros, microsToIso, type Micros } from '../timestamps.ts';
import { MASTER_CATALOG } from './catalog.ts';
import { DOCTORS, DOSAGES, emailLocalPart } from './people.ts';
import { randomPerson } from './seed-customers.ts';
import { DAY, HOUR, laterMoment, MINUTE } from './timeline.ts';

export interface PrescriptionPlan {
  statusCounts: Record<PrescriptionStatus, number>;
  /** Ascending creation moments, one per prescription. */
  moments: readonly Micros[];
  shopIdFor: (random: Random) => string;
  /** Newest first, as the store keeps them. */
  orders: readonly Order[];
  /** Prefix of external references, e.g. "TM-RX-2026-" → "TM-RX-2026-0042". */
  referencePrefix: string;
  /** Share of approved/completed prescriptions to try linking to an order. */
  linkShare: number;
}

const PRESCRIBABLE = MASTER_CATALOG.filter((entry) => entry.category.startsWith('Cannabis'));

export function seedPrescriptions(random: Random, plan: PrescriptionPlan): Prescription[] {
  const statuses = statusesOldestFirst(random, plan.statusCounts);
  if (statuses.length !== plan.moments.length) throw new Error('one moment per prescription');
  const ordersOldestFirst = [...plan.orders].reverse();
  const linked = new Set<string>();
  const usedIds = new Set<string>();
  const prescriptions = statuses.map((status, index): Prescription => {
    const created = plan.moments[index] as Micros;
    const createdAt = microsToIso(created);
    const shopId = plan.shopIdFor(random);
    let id: string;
    do id = `RX_${idDate(createdAt)}_${alphanumeric(random, 10)}`;
    while (usedIds.has(id));
    usedIds.add(id);
    const { firstName, lastName } = randomPerson(random);
    const fulfilled = status === 'completed' || status === 'approved';
    const order = fulfilled && chance(random, plan.linkShare) ? nextOrder(ordersOldestFirst, shopId, created, linked) : undefined;
    if (order) linked.add(order.id);
    const birthYear = intBetween(random, 1950, 2004);
    return {
      id,
      shopId,
      status,
      patientName: `${firstName} ${lastName}`,
      patientEmail: `${emailLocalPart(firstName, lastName)}@example.com`,
      patientDateOfBirth: `${birthYear}-${pad(intBetween(random, 1, 12))}-${pad(intBetween(random, 1, 28))}`,
      doctorName: pick(random, DOCTORS),
      issuedAt: createdAt.slice(0, 10),
      externalReference: `${plan.referencePrefix}${String(index + 1).padStart(4, '0')}`,
      orderId: order?.id ?? null,
      items: seedItems(random),
      createdAt,
      updatedAt: microsToIso(updatedAfter(random, created, status)),
    };
  });
  return prescriptions.reverse();
}

/**
 * Deals the exact status counts onto the timeline: each status gets a random sort key whose
 * range leans old (completed, declined) or new (pending, approved).
 */
function statusesOldestFirst(random: Random, counts: Record<PrescriptionStatus, number>): PrescriptionStatus[] {
  const keyRange: Record<PrescriptionStatus, [number, number]> = {
    completed: [0, 0.8],
    declined: [0, 1],
    approved: [0.6, 1],
    pending: [0.55, 1],
  };
  const keyed: { status: PrescriptionStatus; key: number }[] = [];
  for (const [status, count] of Object.entries(counts) as [PrescriptionStatus, number][]) {
    const [low, high] = keyRange[status];
    for (let i = 0; i < count; i++) keyed.push({ status, key: low + random() * (high - low) });
  }
  return keyed.sort((a, b) => a.key - b.key).map((entry) => entry.status);
}

function nextOrder(ordersOldestFirst: readonly Order[], shopId: string, after: Micros, linked: Set<string>): Order | undefined {
  return ordersOldestFirst.find((order) => {
    if (order.shopId !== shopId || linked.has(order.id)) return false;
    const created = isoToMicros(order.createdAt);
    return created >= after && created <= after + 5 * DAY;
  });
}

function seedItems(random: Random): PrescriptionItem[] {
  const count = chance(random, 0.75) ? 1 : 2;
  const items: PrescriptionItem[] = [];
  while (items.length < count) {
    const entry = pick(random, PRESCRIBABLE);
    if (items.some((item) => item.name === entry.name)) continue;
    items.push({
      name: entry.name,
      quantity: entry.unit === 'g' ? pick(random, [5, 10, 15, 20, 30]) : intBetween(random, 1, 3),
      dosage: pick(random, DOSAGES),
    });
  }
  return items;
}

function updatedAfter(random: Random, created: Micros, status: PrescriptionStatus): Micros {
  switch (status) {
    case 'pending':
      return laterMoment(random, created, 0, 5 * MINUTE);
    case 'approved':
    case 'declined':
      return laterMoment(random, created, HOUR, 2 * DAY);
    case 'completed':
      return laterMoment(random, created, DAY, 6 * DAY);
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
