// PharmaOne sends euros as JSON numbers. Every sum is done in integer cents and divided by 100
// only when serialised, so 11 × 8.75 is 96.25 exactly and totals never drift.

export function centsToEuros(cents: number): number {
  return cents / 100;
}

/**
 * Euros (as received in JSON) to cents, or undefined when the number is not a finite amount
 * with at most two decimals (8.755 is not money).
 */
export function eurosToCents(euros: unknown): number | undefined {
  if (typeof euros !== 'number' || !Number.isFinite(euros)) return undefined;
  const cents = Math.round(euros * 100);
  if (Math.abs(euros * 100 - cents) > 1e-6) return undefined;
  return cents;
}
