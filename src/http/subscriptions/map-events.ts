// A subscription's events mapped to their results, for graphql-ws and graphql-sse. Both drain the
// results with `for await` and end a subscription with `return()` (a client's complete, a closed
// socket, an aborted SSE request). What the feed needs of the mapping is that `return()` reaches
// the source at once, even while a `next()` waits for an event, so that the subscriber's outbox
// ends and its place goes back. An async generator would not do: its `return()` waits for the
// pending `next()`, that is for the next event. Neither transport calls `throw()`, but graphql-sse
// closes only what has one (its isAsyncGenerator asks for next, return and throw).

/**
 * `source` with `run` applied to each item; `return()` and `throw()` close the source, and so does
 * a failed `run`. An item whose run answers in parts (@defer/@stream, src/graphql/incremental.ts)
 * yields each part before the next item is read; closing the mapping closes its parts too.
 */
export function mapEvents<T, R>(
  source: AsyncIterable<T>,
  run: (payload: T) => R | EventPartsOf<R> | Promise<R | EventPartsOf<R>>,
): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  let parts: AsyncGenerator<R, void, void> | undefined;

  async function nextPart(): Promise<IteratorResult<R> | undefined> {
    if (!parts) return undefined;
    const step = await parts.next();
    if (!step.done) return step;
    parts = undefined;
    return undefined;
  }

  async function closeSourceAfterFailure(): Promise<void> {
    try {
      await iterator.return?.();
    } catch {
      // The failure that ends the subscription is the one to report, not a second one closing it.
    }
  }

  const mapped: AsyncIterableIterator<R> = {
    async next() {
      const pending = await nextPart();
      if (pending) return pending;
      const item = await iterator.next();
      if (item.done) return { value: undefined, done: true };
      try {
        const result = await run(item.value);
        if (!isParts(result)) return { value: result, done: false };
        parts = result.parts;
        return (await nextPart()) ?? mapped.next();
      } catch (error) {
        // `for await` calls no `return()` after a rejected `next()`: the subscription ends here.
        await closeSourceAfterFailure();
        throw error;
      }
    },
    async return() {
      await parts?.return();
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    // As an async generator thrown into at its `yield`: the source is closed, the error thrown.
    async throw(error: unknown) {
      await closeSourceAfterFailure();
      throw error;
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}

/** An item's results in parts (src/graphql/incremental.ts's EventParts). */
export interface EventPartsOf<R> {
  parts: AsyncGenerator<R, void, void>;
}

function isParts<R>(value: R | EventPartsOf<R>): value is EventPartsOf<R> {
  return typeof value === 'object' && value !== null && 'parts' in value && typeof (value as EventPartsOf<R>).parts?.next === 'function';
}
