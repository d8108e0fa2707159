// A subscription's events mapped to their results, for graphql-ws and graphql-sse. Both drain the
// results with `for await` and end a subscription with `return()` (a client's complete, a closed
// socket, an aborted SSE request). What the feed needs of the mapping is that `return()` reaches
// the source at once, even while a `next()` waits for an event, so that the subscriber's outbox
// ends and its place goes back. An async generator would not do: its `return()` waits for the
// pending `next()`, that is for the next event. Neither transport calls `throw()`, but graphql-sse
// closes only what has one (its isAsyncGenerator asks for next, return and throw).

/** `source` with `run` applied to each item; `return()` and `throw()` close the source, and so does a failed `run`. */
export function mapEvents<T, R>(source: AsyncIterable<T>, run: (payload: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();

  async function closeSourceAfterFailure(): Promise<void> {
    try {
      await iterator.return?.();
    } catch {
      // The failure that ends the subscription is the one to report, not a second one closing it.
    }
  }

  const mapped: AsyncIterableIterator<R> = {
    async next() {
      const item = await iterator.next();
      if (item.done) return { value: undefined, done: true };
      try {
        return { value: await run(item.value), done: false };
      } catch (error) {
        // `for await` calls no `return()` after a rejected `next()`: the subscription ends here.
        await closeSourceAfterFailure();
        throw error;
      }
    },
    async return() {
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
