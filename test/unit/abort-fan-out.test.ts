// One abort listener per operation signal, however many upstream calls wait on it at once.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort, raceAbort } from '../../src/upstream/resilience/deadline.ts';

describe('onAbort', () => {
  it('gives the signal one listener for any number of waits, and none once nothing waits', () => {
    const controller = new AbortController();
    const stops = Array.from({ length: 45 }, () => onAbort(controller.signal, () => {}));

    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops) stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('runs every wait still open when the signal aborts, in the order they began, and no stopped one', () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const stops = [1, 2, 3, 4].map((n) => onAbort(controller.signal, () => ran.push(n)));
    stops[1]?.();
    controller.abort();
    stops[0]?.();

    expect(ran).toEqual([1, 3, 4]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('listens again after every wait stopped and a new one begins', () => {
    const controller = new AbortController();
    onAbort(controller.signal, () => {})();
    let ran = false;
    onAbort(controller.signal, () => {
      ran = true;
    });
    controller.abort();

    expect(ran).toBe(true);
  });
});

describe('raceAbort', () => {
  it('rejects with its own error when the signal aborts first, and leaves no listener when the promise wins', async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(7), controller.signal, () => new Error('late'))).resolves.toBe(7);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    const never = new Promise<number>(() => {});
    const raced = raceAbort(never, controller.signal, () => new Error('deadline'));
    controller.abort();
    await expect(raced).rejects.toThrow('deadline');
  });
});
