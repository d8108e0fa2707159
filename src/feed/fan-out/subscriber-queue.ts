// One subscriber's outbox: a bounded queue drained by its transport through an async iterator.
// Items arrive in batches (one poll's or one write's events, a resume's replay); a batch finding
// the outbox still holding `bound` items means the transport is not keeping up: the outbox is
// dropped and the subscriber ended as a slow consumer. So an outbox never holds more than `bound`
// items plus one batch, whatever the subscriber does.
// Items are objects: `undefined` is never an item (it means "the queue is empty" and "no last item").
export interface BoundedOutbox<T extends object> extends AsyncIterableIterator<T> {
  /** Queues a batch; false when the outbox was still full (it has then ended itself). */
  push(items: readonly T[]): boolean;
  /** Ends the stream after the items already queued, plus `last` if given (bound or not). */
  end(last?: T): void;
  readonly size: number;
  /** The largest size this outbox ever reached. */
  readonly highWater: number;
  readonly ended: boolean;
}

export function createBoundedOutbox<T extends object>(options: {
  bound: number;
  onOverflow: () => void;
  onFinish: () => void;
}): BoundedOutbox<T> {
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
    const value = queue.shift();
    if (value !== undefined) {
      waiting = null;
      resolve({ value, done: false });
    } else if (ended) {
      waiting = null;
      finish();
      resolve({ value: undefined, done: true });
    }
  }

  const outbox: BoundedOutbox<T> = {
    push(items) {
      if (ended) return false;
      if (items.length === 0) return true;
      if (queue.length >= options.bound) {
        queue.length = 0;
        // The hook ends the outbox with its reason; nothing else is queued after it.
        options.onOverflow();
        ended = true;
        deliver();
        return false;
      }
      queue.push(...items);
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
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
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
