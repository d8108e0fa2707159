import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPageArgumentError, decodeCursor, edgesFor, encodeCursor, pageInfoFor, pageWindow } from '../../src/domain/cursor.ts';

describe('cursors', () => {
  it('are opaque base64url strings', () => {
    expect(encodeCursor(0)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeCursor(0)).not.toContain('0:');
  });

  it('decode to the offset they were made from, for every offset', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (offset) => {
        expect(decodeCursor(encodeCursor(offset))).toBe(offset);
      }),
    );
  });

  it('reject garbage with an error that says what to pass instead', () => {
    for (const bad of ['', 'abc', '!!!', 'MTIz', Buffer.from('po1:offset:-1').toString('base64url'), 'x'.repeat(65)]) {
      expect(() => decodeCursor(bad), bad).toThrow(/after is not a cursor from this API/);
    }
  });

  it('reject cursors of another version or with a non-canonical offset', () => {
    expect(() => decodeCursor(Buffer.from('po0:offset:5').toString('base64url'))).toThrow(InvalidPageArgumentError);
    expect(() => decodeCursor(Buffer.from('po1:offset:05').toString('base64url'))).toThrow(InvalidPageArgumentError);
    expect(() => decodeCursor(Buffer.from('po1:offset:1e3').toString('base64url'))).toThrow(InvalidPageArgumentError);
    expect(() => decodeCursor(`${encodeCursor(5)}=`)).toThrow(InvalidPageArgumentError);
  });

  it('reject any string that encodeCursor did not produce', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let decoded: number | null = null;
        try {
          decoded = decodeCursor(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidPageArgumentError);
        }
        if (decoded !== null) expect(encodeCursor(decoded)).toBe(text);
      }),
    );
  });

  it('carry a BAD_USER_INPUT code naming the argument', () => {
    let caught: unknown;
    try {
      decodeCursor('nope');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });
});

describe('pageWindow', () => {
  it('defaults to the first 20 rows', () => {
    expect(pageWindow(undefined, undefined)).toEqual({ limit: 20, offset: 0 });
    expect(pageWindow(null, null)).toEqual({ limit: 20, offset: 0 });
  });

  it('starts just after the `after` edge', () => {
    expect(pageWindow(10, encodeCursor(19))).toEqual({ limit: 10, offset: 20 });
    expect(pageWindow(100, encodeCursor(0))).toEqual({ limit: 100, offset: 1 });
  });

  it('rejects `first` outside 1..100 with a clear message', () => {
    for (const first of [0, -1, 101, 1.5]) {
      expect(() => pageWindow(first, null), String(first)).toThrow(`first must be between 1 and 100, got ${first}`);
    }
  });

  it('honours custom sizes', () => {
    expect(pageWindow(undefined, undefined, { defaultSize: 5, maxSize: 10 })).toEqual({ limit: 5, offset: 0 });
    expect(() => pageWindow(11, undefined, { defaultSize: 5, maxSize: 10 })).toThrow(/between 1 and 10,/);
  });
});

describe('pageInfoFor and edgesFor', () => {
  it('describe a middle page of a longer list', () => {
    expect(pageInfoFor(20, 10, 731)).toEqual({
      hasNextPage: true,
      hasPreviousPage: true,
      startCursor: encodeCursor(20),
      endCursor: encodeCursor(29),
    });
  });

  it('describe the last page and an empty page', () => {
    expect(pageInfoFor(730, 1, 731)).toMatchObject({ hasNextPage: false, endCursor: encodeCursor(730) });
    expect(pageInfoFor(731, 0, 731)).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('give each edge its absolute position', () => {
    expect(edgesFor(['a', 'b'], 40)).toEqual([
      { cursor: encodeCursor(40), node: 'a' },
      { cursor: encodeCursor(41), node: 'b' },
    ]);
  });

  it('page forward through any list exactly once (endCursor → after)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 500 }), fc.integer({ min: 1, max: 100 }), (total, first) => {
        const seen: number[] = [];
        let after: string | null = null;
        for (;;) {
          const { limit, offset } = pageWindow(first, after);
          const count = Math.max(0, Math.min(limit, total - offset));
          for (let i = 0; i < count; i++) seen.push(offset + i);
          const info = pageInfoFor(offset, count, total);
          if (!info.hasNextPage) break;
          after = info.endCursor;
        }
        expect(seen).toEqual(Array.from({ length: total }, (_, i) => i));
      }),
    );
  });
});
