// One coarse timer for every operation's deadline. A native timer per operation
// (AbortSignal.timeout) cost ~10 µs of a small request's CPU (bench/RESULTS.md, issue 25): each
// one is a timer-list insert and removal plus a C++ wrapper. Here an operation's signal is an
// AbortController's, filed under the tick its deadline falls in; one unref'd interval walks the
// ticks that have passed and aborts what they hold. The price is resolution: a signal aborts
// at its deadline or up to DEADLINE_RESOLUTION_MS (plus event-loop lag) after it. An operation
// whose answer is sent takes its controller off the clock (release): held until the deadline, each
// one outlived every young-generation collection (OPERATION_DEADLINE_MS, 15 s) and was then aborted
// for nobody, a DOMException with a stack trace each (issue 25).

/** How late, at most, a deadline's abort fires after the deadline (besides event-loop lag). */
export const DEADLINE_RESOLUTION_MS = 25;

export class DeadlineClock {
  readonly resolutionMs: number;
  readonly #now: () => number;
  /**
   * Tick number → the controllers whose deadline falls in it, dropped with their tick or when
   * their operation is over (release). Held
   * strongly, as a native timer held its signal: a call still waiting on the signal (through
   * AbortSignal.any, a bulkhead queue, a token lookup) must get its abort even when nothing else
   * refers to the operation. Bound: one AbortController (~0.3 kB with its signal) per operation that
   * made an upstream call and is still running, or ended without releasing it, in the last
   * OPERATION_DEADLINE_MS + resolution.
   */
  readonly #ticks = new Map<number, Set<AbortController>>();
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
    if (due) due.add(controller);
    else this.#ticks.set(tick, new Set([controller]));
    if (!this.#timer) {
      this.#timer = setInterval(() => this.advance(), this.resolutionMs);
      // A pending deadline must not keep a process alive that has nothing else to do.
      this.#timer.unref();
    }
    return controller;
  }

  /**
   * Takes a controller filed for `expiresAt` off the clock: the clock no longer holds it nor aborts
   * it. For an operation that is over; its owner decides whether anything still waiting must stop.
   */
  release(controller: AbortController, expiresAt: number): void {
    const tick = Math.ceil(expiresAt / this.resolutionMs);
    const due = this.#ticks.get(tick);
    if (due?.delete(controller) && due.size === 0) this.#ticks.delete(tick);
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
    for (const due of this.#ticks.values()) count += due.size;
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
