// One coarse timer for every operation's deadline. A native timer per operation
// (AbortSignal.timeout) cost ~10 µs of a small request's CPU (bench/RESULTS.md, issue 25): each
// one is a timer-list insert and removal plus a C++ wrapper. Here an operation's signal is an
// AbortController's, filed under the tick its deadline falls in; one unref'd interval walks the
// ticks that have passed and aborts what they hold. The price is resolution: a signal aborts
// at its deadline or up to DEADLINE_RESOLUTION_MS (plus event-loop lag) after it.

/** How late, at most, a deadline's abort fires after the deadline (besides event-loop lag). */
export const DEADLINE_RESOLUTION_MS = 25;

export class DeadlineClock {
  readonly resolutionMs: number;
  readonly #now: () => number;
  /**
   * Tick number → the controllers whose deadline falls in it, dropped with their tick. Held
   * strongly, as a native timer held its signal: a call still waiting on the signal (through
   * AbortSignal.any, a bulkhead queue, a token lookup) must get its abort even when nothing else
   * refers to the operation. Bound: one AbortController (~0.3 kB with its signal) per operation that
   * made an upstream call in the last OPERATION_DEADLINE_MS + resolution.
   */
  readonly #ticks = new Map<number, AbortController[]>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(resolutionMs: number = DEADLINE_RESOLUTION_MS, now: () => number = Date.now) {
    this.resolutionMs = resolutionMs;
    this.#now = now;
  }

  /** A signal that aborts with a TimeoutError DOMException once `expiresAt` (epoch ms) has passed. */
  signalAt(expiresAt: number): AbortSignal {
    return this.controllerAt(expiresAt).signal;
  }

  /** The controller behind signalAt: its owner may abort it sooner (a client gone) without a second signal to join. */
  controllerAt(expiresAt: number): AbortController {
    const controller = new AbortController();
    if (expiresAt <= this.#now()) {
      controller.abort(deadlinePassed());
      return controller;
    }
    const tick = Math.ceil(expiresAt / this.resolutionMs);
    const due = this.#ticks.get(tick);
    if (due) due.push(controller);
    else this.#ticks.set(tick, [controller]);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.advance(), this.resolutionMs);
      // A pending deadline must not keep a process alive that has nothing else to do.
      this.#timer.unref();
    }
    return controller;
  }

  /** Aborts every signal whose tick has passed; stops the interval when nothing is left. */
  advance(): void {
    const now = this.#now();
    for (const [tick, due] of this.#ticks) {
      if (tick * this.resolutionMs > now) continue;
      this.#ticks.delete(tick);
      for (const controller of due) if (!controller.signal.aborted) controller.abort(deadlinePassed());
    }
    if (this.#ticks.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Deadlines filed and not yet due (for tests and the memory model). */
  get pending(): number {
    let count = 0;
    for (const due of this.#ticks.values()) count += due.length;
    return count;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }
}

function deadlinePassed(): DOMException {
  return new DOMException('The operation deadline passed.', 'TimeoutError');
}

/** The process's one clock: every operation's deadline is filed here. */
export const deadlineClock = new DeadlineClock();
