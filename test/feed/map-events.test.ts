// mapEvents over the feed's own outbox (src/feed/fan-out/subscriber-queue.ts): items mapped in
// order, and every way the mapping ends (the source ends, return(), throw(), a failed mapping)
// closes the outbox, which is what gives a subscriber's place back. The same through real
// graphql-ws and graphql-sse subscriptions: unsubscribe.test.ts.
import { describe, expect, it } from 'vitest';
import { createBoundedOutbox } from '../../src/feed/fan-out/subscriber-queue.ts';
import { mapEvents } from '../../src/http/subscriptions/map-events.ts';

interface Item {
  n: number;
}

function outbox() {
  const finished = { count: 0 };
  const source = createBoundedOutbox<Item>({ bound: 10, onOverflow: () => {}, onFinish: () => (finished.count += 1) });
  return { source, finished };
}

describe('mapEvents', () => {
  it('maps each item in order, awaiting the mapping, and ends when the source ends', async () => {
    const { source, finished } = outbox();
    const mapped = mapEvents(source, async (item: Item) => `result ${item.n}`);
    source.push([{ n: 1 }, { n: 2 }]);
    source.end({ n: 3 });
    const results: string[] = [];
    for await (const result of mapped) results.push(result);
    expect(results).toEqual(['result 1', 'result 2', 'result 3']);
    expect(finished.count).toBe(1);
  });

  it('has the shape both transports close: next, return, throw, and itself as its iterator', () => {
    const mapped = mapEvents(outbox().source, (item: Item) => item.n);
    expect([typeof mapped.next, typeof mapped.return, typeof mapped.throw]).toEqual(['function', 'function', 'function']);
    expect(mapped[Symbol.asyncIterator]()).toBe(mapped);
  });

  it.each([
    ['after an item', [{ n: 1 }]],
    ['before any item', []],
  ])('return() while a next() waits (%s) closes the source at once and ends the waiting next()', async (_, before) => {
    const { source, finished } = outbox();
    const mapped = mapEvents(source, (item: Item) => item.n);
    source.push(before);
    for (const item of before) expect(await mapped.next()).toEqual({ value: item.n, done: false });
    const waiting = mapped.next();

    expect(await mapped.return?.()).toEqual({ value: undefined, done: true });
    expect(finished.count).toBe(1);
    expect(source.ended).toBe(true);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await mapped.next()).toEqual({ value: undefined, done: true });
  });

  it('throw() closes the source and throws the error given', async () => {
    const { source, finished } = outbox();
    const mapped = mapEvents(source, (item: Item) => item.n);
    const error = new Error('thrown in');
    await expect(mapped.throw?.(error)).rejects.toBe(error);
    expect(finished.count).toBe(1);
  });

  it.each([
    [
      'throws',
      (): number => {
        throw new Error('execution failed');
      },
    ],
    ['rejects', (): Promise<number> => Promise.reject(new Error('execution failed'))],
  ])('a mapping that %s closes the source and the error is thrown from next()', async (_, run) => {
    const { source, finished } = outbox();
    const mapped = mapEvents(source, run);
    source.push([{ n: 1 }, { n: 2 }]);
    await expect(mapped.next()).rejects.toThrow('execution failed');
    expect(finished.count).toBe(1);
    expect(await mapped.next()).toEqual({ value: undefined, done: true });
  });

  it('keeps the mapping error when closing the source fails too', async () => {
    const failingClose: AsyncIterableIterator<Item> = {
      next: async () => ({ value: { n: 1 }, done: false }),
      return: async () => {
        throw new Error('close failed');
      },
      [Symbol.asyncIterator]: () => failingClose,
    };
    const mapped = mapEvents(failingClose, () => {
      throw new Error('execution failed');
    });
    await expect(mapped.next()).rejects.toThrow('execution failed');
    await expect(mapped.throw?.(new Error('thrown in'))).rejects.toThrow('thrown in');
  });
});
