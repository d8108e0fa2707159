// A shop's catalog (a subset of the master list at shop prices) and its stock levels.
import type { InventoryItem, Product } from '../model.ts';
import { chance, intBetween, shuffled, type Random } from '../prng.ts';
import { microsToIso } from '../timestamps.ts';
import { MASTER_CATALOG } from './catalog.ts';
import { DAY, laterMoment, SEED_CUTOFF } from './timeline.ts';

export interface CatalogPlan {
  shopId: string;
  size: number;
  /** Names the shop must carry (the vendor's examples order them from shop1). */
  mustCarry?: readonly string[];
  /** shop1 sells at list price so the seed's 5.10 for "Cannabis flos 27/1" holds. */
  listPrices?: boolean;
}

export function seedProducts(random: Random, plan: CatalogPlan): Product[] {
  const mustCarry = new Set(plan.mustCarry ?? []);
  const required = MASTER_CATALOG.filter((entry) => mustCarry.has(entry.name));
  const others = shuffled(
    random,
    MASTER_CATALOG.filter((entry) => !mustCarry.has(entry.name)),
  );
  const chosen = [...required, ...others.slice(0, plan.size - required.length)];
  chosen.sort((a, b) => a.p1Id.localeCompare(b.p1Id));
  return chosen.map((entry) => ({
    id: `PRD_${plan.shopId}_${entry.p1Id.slice(3)}`,
    p1Id: entry.p1Id,
    shopId: plan.shopId,
    name: entry.name,
    category: entry.category,
    // Other shops price within ±8 % of list, rounded to 5 cents like a real price tag.
    priceCents: plan.listPrices ? entry.basePriceCents : Math.round((entry.basePriceCents * (0.92 + random() * 0.16)) / 5) * 5,
    unit: entry.unit,
    active: mustCarry.has(entry.name) || !chance(random, 0.06),
  }));
}

export function seedInventory(random: Random, products: readonly Product[]): InventoryItem[] {
  return products.map((product) => {
    const byWeight = product.unit === 'g';
    const reorderLevel = byWeight ? intBetween(random, 5, 20) * 10 : intBetween(random, 5, 20);
    // About one line in six runs low, so low_stock=true always has something to show.
    const low = chance(random, 0.16);
    const quantity = low ? intBetween(random, 0, reorderLevel) : reorderLevel + intBetween(random, 1, byWeight ? 1500 : 150);
    const reserved = Math.min(quantity, intBetween(random, 0, byWeight ? 60 : 6));
    return {
      p1Id: product.p1Id,
      shopId: product.shopId,
      name: product.name,
      quantity,
      reserved,
      unit: product.unit,
      reorderLevel,
      updatedAt: microsToIso(laterMoment(random, SEED_CUTOFF - 14 * DAY, 0, 14 * DAY)),
    };
  });
}
