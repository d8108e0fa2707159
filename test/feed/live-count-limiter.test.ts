// The subscription places as a pure unit: the check and the count are one step, a refusal keeps
// nothing, and a place goes back exactly once however many ways out release it.
import { describe, expect, it } from 'vitest';
import { createLiveCountLimiter, createSubscriptionPlaces } from '../../src/feed/admission/live-count-limiter.ts';

describe('a live-count limiter', () => {
  it.each([1, 3, 25])('hands out exactly %i places per key, and each place back once', (limit) => {
    const limiter = createLiveCountLimiter<string>(limit);
    const taken = Array.from({ length: limit + 5 }, () => limiter.reserve('a'));
    expect(taken.filter(Boolean)).toHaveLength(limit);
    expect(limiter.count('a')).toBe(limit);
    expect(limiter.reserve('b')).toBeDefined();

    const [first] = taken;
    // Every way out may call release: only the first call gives the place back.
    for (let i = 0; i < 4; i++) first?.release();
    expect(limiter.count('a')).toBe(limit - 1);
    expect(limiter.reserve('a')).toBeDefined();
    expect(limiter.reserve('a')).toBeUndefined();
  });
});

describe('subscription places', () => {
  const settings = { maxPerConnection: 3, maxPerCaller: 5 };
  const refusal = (message: string) => expect.objectContaining({ message, extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
  const connectionFull = refusal('This connection already holds 3 subscriptions (ORDER_FEED_MAX_PER_CONNECTION).');
  const callerFull = refusal('This caller already holds 5 subscriptions (ORDER_FEED_MAX_PER_CALLER).');

  const ok = 'admitted';
  const conn = 'ORDER_FEED_MAX_PER_CONNECTION';
  const callr = 'ORDER_FEED_MAX_PER_CALLER';
  const times = (count: number, label: string) => Array.from({ length: count }, () => label);

  it.each([
    { name: 'one connection × 10', each: 10, outcomes: [[...times(3, ok), ...times(7, conn)]] },
    {
      name: 'two connections × 10',
      each: 10,
      outcomes: [
        [...times(3, ok), ...times(7, conn)],
        [...times(2, ok), ...times(8, callr)],
      ],
    },
    { name: 'four connections × 3', each: 3, outcomes: [times(3, ok), [ok, ok, callr], times(3, callr), times(3, callr)] },
    { name: 'six connections × 1', each: 1, outcomes: [...Array.from({ length: 5 }, () => [ok]), [callr]] },
  ])('$name: admits up to both limits in arrival order, refusing with the limit that is full', ({ each, outcomes }) => {
    const places = createSubscriptionPlaces(settings);
    const seen = outcomes.map(() => {
      const socket = {};
      return Array.from({ length: each }, () => {
        try {
          places.reserve('caller', socket);
          return ok;
        } catch (error) {
          expect(error).toEqual(error instanceof Error && error.message.includes(conn) ? connectionFull : callerFull);
          return (error as Error).message.includes(conn) ? conn : callr;
        }
      });
    });
    expect(seen).toEqual(outcomes);
  });

  it('a refusal by the caller limit keeps no place on the connection', () => {
    const places = createSubscriptionPlaces(settings);
    for (let i = 0; i < 5; i++) places.reserve('caller', {});
    const socket = {};
    for (let i = 0; i < 10; i++) expect(() => places.reserve('caller', socket)).toThrow(callerFull);
    // Another caller on the same socket still has all three places of the connection.
    for (let i = 0; i < 3; i++) places.reserve('other', socket);
    expect(() => places.reserve('other', socket)).toThrow(connectionFull);
  });

  it('a place released twice frees one place on the connection and one of the caller', () => {
    const places = createSubscriptionPlaces(settings);
    const socket = {};
    const held = [places.reserve('caller', socket), places.reserve('caller', socket), places.reserve('caller', socket)];
    held[0]?.release();
    held[0]?.release();
    places.reserve('caller', socket);
    expect(() => places.reserve('caller', socket)).toThrow(connectionFull);
    places.reserve('caller', {});
    places.reserve('caller', {});
    expect(() => places.reserve('caller', {})).toThrow(callerFull);
  });
});
