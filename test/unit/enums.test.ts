import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ORDER_STATUSES,
  PAYMENT_STATUSES,
  PRESCRIPTION_STATUSES,
  orderStatusFromRest,
  orderStatusToRest,
  paymentStatusFromRest,
  paymentStatusToRest,
  prescriptionStatusFromRest,
  prescriptionStatusToRest,
} from '../../src/domain/enums.ts';

const KNOWN_ORDER = ['pending', 'awaiting_packing', 'packed', 'shipped', 'ready_for_pickup', 'completed', 'cancelled'];
const KNOWN_PAYMENT = ['pending', 'paid', 'failed', 'refunded'];
const KNOWN_PRESCRIPTION = ['pending', 'approved', 'completed', 'declined'];

describe('reading statuses from PharmaOne', () => {
  it('maps every documented order status to its enum value and keeps the raw string', () => {
    expect(KNOWN_ORDER.map((raw) => orderStatusFromRest(raw))).toEqual([
      { value: 'PENDING', raw: 'pending' },
      { value: 'AWAITING_PACKING', raw: 'awaiting_packing' },
      { value: 'PACKED', raw: 'packed' },
      { value: 'SHIPPED', raw: 'shipped' },
      { value: 'READY_FOR_PICKUP', raw: 'ready_for_pickup' },
      { value: 'COMPLETED', raw: 'completed' },
      { value: 'CANCELLED', raw: 'cancelled' },
    ]);
  });

  it('maps every documented payment and prescription status', () => {
    expect(KNOWN_PAYMENT.map((raw) => paymentStatusFromRest(raw).value)).toEqual(['PENDING', 'PAID', 'FAILED', 'REFUNDED']);
    expect(KNOWN_PRESCRIPTION.map((raw) => prescriptionStatusFromRest(raw).value)).toEqual([
      'PENDING',
      'APPROVED',
      'COMPLETED',
      'DECLINED',
    ]);
  });

  it('maps a status it does not know to UNKNOWN and keeps the string as sent', () => {
    expect(orderStatusFromRest('on_hold')).toEqual({ value: 'UNKNOWN', raw: 'on_hold' });
    expect(paymentStatusFromRest('partially_refunded')).toEqual({ value: 'UNKNOWN', raw: 'partially_refunded' });
    expect(prescriptionStatusFromRest('expired')).toEqual({ value: 'UNKNOWN', raw: 'expired' });
  });

  it('tolerates case and surrounding blanks but not other spellings', () => {
    expect(orderStatusFromRest(' Completed ')).toEqual({ value: 'COMPLETED', raw: ' Completed ' });
    expect(orderStatusFromRest('ready-for-pickup').value).toBe('UNKNOWN');
  });

  it('never maps an upstream "unknown" to anything but UNKNOWN, and reads missing values as ""', () => {
    expect(orderStatusFromRest('unknown')).toEqual({ value: 'UNKNOWN', raw: 'unknown' });
    expect(orderStatusFromRest(undefined)).toEqual({ value: 'UNKNOWN', raw: '' });
    expect(orderStatusFromRest(null)).toEqual({ value: 'UNKNOWN', raw: '' });
    expect(orderStatusFromRest(42)).toEqual({ value: 'UNKNOWN', raw: '' });
  });

  it('is total: any value at all yields one of the enum values without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (raw) => {
        expect(ORDER_STATUSES).toContain(orderStatusFromRest(raw).value);
        expect(PAYMENT_STATUSES).toContain(paymentStatusFromRest(raw).value);
        expect(PRESCRIPTION_STATUSES).toContain(prescriptionStatusFromRest(raw).value);
      }),
    );
  });
});

describe('writing statuses to PharmaOne', () => {
  it('writes the lowercase upstream string', () => {
    expect(orderStatusToRest('READY_FOR_PICKUP')).toBe('ready_for_pickup');
    expect(paymentStatusToRest('REFUNDED')).toBe('refunded');
    expect(prescriptionStatusToRest('DECLINED')).toBe('declined');
  });

  it('has no upstream string for UNKNOWN', () => {
    expect(orderStatusToRest('UNKNOWN')).toBeNull();
    expect(paymentStatusToRest('UNKNOWN')).toBeNull();
    expect(prescriptionStatusToRest('UNKNOWN')).toBeNull();
  });

  it('round-trips every known value through the upstream string', () => {
    for (const value of ORDER_STATUSES) expect(orderStatusFromRest(orderStatusToRest(value)).value).toBe(value);
    for (const value of PAYMENT_STATUSES) expect(paymentStatusFromRest(paymentStatusToRest(value)).value).toBe(value);
    for (const value of PRESCRIPTION_STATUSES) {
      expect(prescriptionStatusFromRest(prescriptionStatusToRest(value)).value).toBe(value);
    }
  });

  it('writes exactly the statuses the upstream contract documents', () => {
    expect(ORDER_STATUSES.map((value) => orderStatusToRest(value)).filter((raw) => raw !== null)).toEqual(KNOWN_ORDER);
    expect(PAYMENT_STATUSES.map((value) => paymentStatusToRest(value)).filter((raw) => raw !== null)).toEqual(KNOWN_PAYMENT);
    expect(PRESCRIPTION_STATUSES.map((value) => prescriptionStatusToRest(value)).filter((raw) => raw !== null)).toEqual(KNOWN_PRESCRIPTION);
  });
});
