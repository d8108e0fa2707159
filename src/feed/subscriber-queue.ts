// One subscriber's outbox: a bounded queue drained by its transport through an async iterator.
// When the transport cannot keep up and the queue would pass its bound, the queue is dropped and
// the subscriber is ended as a slow consumer: memory per subscriber never exceeds the bound.
export interface BoundedOutbox<T> extends AsyncIterableIterator<T> {
  /** False when the item would pass the bound (the outbox has then ended itself). */
  push(item: T): boolean;
  /** Ends the stream after the items already queued, plus `last` if given (bound or not). */
  end(last?: T): void;
  readonly size: number;
  /** The largest size this outbox ever reached. */
  readonly highWater: number;
  readonly ended: boolean;
}

export function createBoundedOutbox<T>(options: { bound: number; onOverflow: () => void; onFinish: () => void }): BoundedOutbox<T> {
  const queue: T[] = [];
  let highWater = 0;
  let ended = false;
  let finished = false;
  let waiting: ((result: IteratorResult<T>) => void) | null = null;

  function finish(): void {
    if (finished) return;
    finished = true;
    ended = true;
    queue.length = 0;
    options.onFinish();
  }

  function deliver(): void {
    if (!waiting) return;
    const resolve = waiting;
    if (queue.length > 0) {
      waiting = null;
      resolve({ value: queue.shift()!, done: false });
    } else if (ended) {
      waiting = null;
      finish();
      resolve({ value: undefined, done: true });
    }
  }

  const outbox: BoundedOutbox<T> = {
    push(item) {
      if (ended) return false;
      if (queue.length >= options.bound) {
        queue.length = 0;
        // The hook ends the outbox with its reason; nothing else is queued after it.
        options.onOverflow();
        ended = true;
        deliver();
        return false;
      }
      queue.push(item);
      if (queue.length > highWater) highWater = queue.length;
      deliver();
      return true;
    },
    end(last) {
      if (ended) return;
      if (last !== undefined) queue.push(last);
      ended = true;
      deliver();
    },
    get size() {
      return queue.length;
    },
    get highWater() {
      return highWater;
    },
    get ended() {
      return ended;
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended || finished) {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => (waiting = resolve));
    },
    // The client unsubscribed or went away: free everything at once, even while waiting.
    return() {
      ended = true;
      finish();
      const resolve = waiting;
      waiting = null;
      resolve?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return outbox;
    },
  };
  return outbox;
}
