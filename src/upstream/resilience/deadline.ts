// The overall deadline of one GraphQL operation: every upstream call it makes (and every retry
// wait) shares it, so a slow or hung PharmaOne cannot hold a request past OPERATION_DEADLINE_MS.

export interface Deadline {
  /** Aborts every upstream call still running when upstream work must stop. */
  signal: AbortSignal;
  /** Epoch milliseconds at which the signal aborts. */
  expiresAt: number;
}

/**
 * Upstream work stops a little before the operation's deadline (20%, at most 500 ms), so the
 * GraphQL answer with whatever partial data there is still leaves inside the deadline.
 */
export function createDeadline(operationDeadlineMs: number, now: () => number = Date.now): Deadline {
  const upstreamMs = Math.max(1, operationDeadlineMs - Math.min(500, Math.floor(operationDeadlineMs / 5)));
  return { signal: AbortSignal.timeout(upstreamMs), expiresAt: now() + upstreamMs };
}

/** Milliseconds left before `expiresAt` (Infinity without a deadline). */
export function remainingMs(expiresAt: number | undefined, now: () => number = Date.now): number {
  return expiresAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - now();
}

/** Settles like `promise`, or rejects with `onAbort()` once `signal` aborts (the promise itself runs on). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
