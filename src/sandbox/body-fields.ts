// Field checks for JSON request bodies. Each check records the offending key, spelled as the
// body spells it ("payload.items[0].quantity", "Items[0].Product Name"), so a 422 can list them all.
import { eurosToCents } from './money.ts';
import type { JsonObject } from './route-types.ts';

export class FieldErrors {
  readonly fields: string[] = [];

  add(field: string): void {
    if (!this.fields.includes(field)) this.fields.push(field);
  }

  get any(): boolean {
    return this.fields.length > 0;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required string; `nonEmpty` also refuses "" and whitespace. */
export function requiredString(source: JsonObject, key: string, field: string, errors: FieldErrors, nonEmpty = true): string {
  const value = source[key];
  if (typeof value !== 'string' || (nonEmpty && value.trim() === '')) {
    errors.add(field);
    return '';
  }
  return value;
}

/** Absent (or null) is fine; present must be a string. */
export function optionalString(source: JsonObject, key: string, field: string, errors: FieldErrors): string | null {
  const value = source[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.add(field);
    return null;
  }
  return value;
}

export function positiveInteger(source: JsonObject, key: string, field: string, errors: FieldErrors): number {
  const value = source[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    errors.add(field);
    return 0;
  }
  return value;
}

/** Euros ≥ 0 with at most two decimals, as integer cents. */
export function moneyCents(value: unknown, field: string, errors: FieldErrors): number {
  const cents = eurosToCents(value);
  if (cents === undefined || cents < 0) {
    errors.add(field);
    return 0;
  }
  return cents;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD" naming a real calendar day. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
