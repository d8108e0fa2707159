// The overall deadline of one GraphQL operation: every upstream call it makes (and every retry
// wait) shares it, so a slow or hung PharmaOne cannot hold a request past OPERATION_DEADLINE_MS.
import { deadlineClock } from './deadline-clock.ts';

export interface Deadline {
  /** Aborts every upstream call still running when upstream work must stop. */
  signal: AbortSignal;
  /** Epoch milliseconds at which the signal aborts. */
  expiresAt: number;
}

/**
 * Tells an operation's controller that its client is gone: called once, when the first upstream
 * call starts (with the controller that call's signal belongs to), it aborts the controller if the
 * client leaves before the answer is sent (src/http/incremental-response.ts).
 */
export type ClientWatch = (controller: AbortController) => void;

/**
 * Upstream work stops a little before the operation's deadline (20%, at most 500 ms), so the
 * GraphQL answer with whatever partial data there is still leaves inside the deadline.
 * `clientGone`: ties the operation's upstream work to its client (taken when the first upstream call starts).
 */
export function createDeadline(operationDeadlineMs: number, now: () => number = Date.now, clientGone?: ClientWatch): OperationDeadline {
  const upstreamMs = Math.max(1, operationDeadlineMs - Math.min(500, Math.floor(operationDeadlineMs / 5)));
  return new OperationDeadline(now() + upstreamMs, now, clientGone);
}

/** Why calls still waiting when their operation's answer was sent stop (nobody reads their answers). */
const OPERATION_OVER = new DOMException('The operation was answered.', 'AbortError');

/**
 * A class, so that the getter lives on the prototype: an object literal with a getter costs a
 * closure and an accessor of its own per operation (measured ~3 µs of a small request's CPU).
 */
export class OperationDeadline implements Deadline {
  readonly expiresAt: number;
  readonly now: () => number;
  readonly clientGone: ClientWatch | undefined;
  controller: AbortController | undefined;
  /** The epoch ms the controller was filed under on the shared clock. */
  filedAt = 0;

  constructor(expiresAt: number, now: () => number, clientGone: ClientWatch | undefined) {
    this.expiresAt = expiresAt;
    this.now = now;
    this.clientGone = clientGone;
  }

  // The deadline is filed with the first upstream call: an operation that makes none
  // (`{ __typename }`, a refused write) files none. The shared clock (deadline-clock.ts) aborts it
  // within DEADLINE_RESOLUTION_MS after `expiresAt`, instead of a native timer per operation.
  get signal(): AbortSignal {
    if (!this.controller) {
      this.filedAt = this.now === Date.now ? this.expiresAt : this.expiresAt - this.now() + Date.now();
      const controller = deadlineClock.controllerAt(this.filedAt);
      this.controller = controller;
      // A client that went away stops the operation's upstream work as its deadline would: it
      // aborts the deadline's own controller (one signal for both).
      this.clientGone?.(controller);
    }
    return this.controller.signal;
  }

  /**
   * The operation's answer is sent: its controller leaves the shared clock (so it dies young, and
   * is not aborted at the deadline for nobody). Work still waiting on it (an early read nobody
   * used, a retry's pause) stops now. A deadline no upstream call took costs nothing here.
   */
  finish(): void {
    const controller = this.controller;
    if (!controller) return;
    // Released even when already aborted: a client that left (or parts cut) aborts it early, and
    // the clock would otherwise hold it until its deadline. One that already passed keeps its reason.
    deadlineClock.release(controller, this.filedAt);
    if (!controller.signal.aborted && waiting.has(controller.signal)) controller.abort(OPERATION_OVER);
  }
}

/** Milliseconds left before `expiresAt` (Infinity without a deadline). */
export function remainingMs(expiresAt: number | undefined, now: () => number = Date.now): number {
  return expiresAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - now();
}

/** The callbacks waiting for each signal's abort, behind the one listener the signal gets. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `listener` (a function of its own per wait) once when `signal` aborts; the returned
 * function stops waiting. An operation's deadline signal is shared by every upstream call it makes
 * (46 for a 45-order read), each waiting for an HTTP answer, a bulkhead slot or a token: as
 * EventTarget listeners, each wait cost a listener record and each stop a walk of the signal's
 * list, quadratic in the calls in flight. Here the signal has one listener while anything waits,
 * and waits come and go in a Set. When nothing waits, the listener goes too: a signal with a listener
 * (a native timer's, a caller's) may be held until it fires, and a finished request's signal must not be.
 * Call only on a signal that has not aborted yet (callers check `signal.aborted` first).
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = waiting.get(signal);
  if (!listeners) {
    const set = new Set<() => void>();
    listeners = set;
    waiting.set(signal, set);
    signal.addEventListener('abort', fanOut, { once: true });
  }
  const own = listeners;
  own.add(listener);
  return () => {
    if (!own.delete(listener) || own.size > 0 || waiting.get(signal) !== own) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', fanOut);
  };
}

/** The one abort listener: every wait on the signal, in the order they began. */
function fanOut(this: AbortSignal): void {
  const set = waiting.get(this);
  waiting.delete(this);
  if (!set) return;
  for (const waiter of set) waiter();
  set.clear();
}

/** Settles like `promise`, or rejects with `abortError()` once `signal` aborts (the promise itself runs on). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, abortError: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(abortError()));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}

/**
 * Waits `ms` (without keeping the process alive), or rejects with `signal`'s reason once it
 * aborts. The wait is one of the signal's waits (onAbort), so an operation answered meanwhile
 * stops it (OperationDeadline.finish) instead of retrying for nobody.
 */
export function pauseUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let stop: (() => void) | undefined;
    const timer = setTimeout(() => {
      stop?.();
      resolve();
    }, ms);
    timer.unref();
    if (signal)
      stop = onAbort(signal, () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
  });
}
