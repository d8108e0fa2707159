// Where the gateway's log lines go: stdout, written by the main thread once per turn of the event
// loop, with a bounded backlog while stdout is blocked. One per process (stdout is one per process),
// shared by every logger that names no destination of its own.
//
// Why not pino's default destination (sonic-boom, asynchronous): each write is a job for libuv's
// thread pool and a wake-up of the main thread when it is done, which cost more than the line itself
// (bench/RESULTS.md, issue 25), a crash loses the write that was in flight, and while stdout is
// blocked (a stalled log collector) its buffer grows without bound. Here:
// - the lines of one turn leave in one `write(2)` from the main thread (a check-phase callback);
// - on a pipe the writes do not block: what the pipe does not take waits, at most MAX_WAITING_BYTES;
//   a burst past that waits for the reader (at most STALL_MS), and once the reader has taken nothing
//   for that long, lines beyond the bound are dropped and counted (a metric, and a line once stdout
//   takes lines again) rather than stall every request behind a stalled collector;
// - on exit (crash included) whatever waits is written synchronously, in order: nothing is in flight.
import { writeSync } from 'node:fs';

/** The most bytes that wait for a blocked stdout (besides what the pipe itself holds, 64 KiB on Linux). */
export const MAX_WAITING_BYTES = 128 * 1_024;
/** How long a burst waits for a slow reader before the reader counts as stalled. */
const STALL_MS = 100;
/** How soon a blocked stdout is tried again. */
const RETRY_MS = 10;
/** How long the exit flush keeps trying a stdout that will not take the rest. */
const EXIT_FLUSH_MS = 2_000;

export interface StdoutLines {
  /** pino's destination interface: one serialised line, newline included. */
  write(line: string): void;
  /** Writes what waits now, as far as stdout takes it without blocking (the rest is tried again shortly), then calls back. */
  flush(callback?: (error?: Error) => void): void;
  /** Lines dropped so far because stdout was blocked past MAX_WAITING_BYTES, or gone. */
  dropped(): number;
  /** Bytes waiting now (tests, metrics). */
  waitingBytes(): number;
}

export interface StdoutLinesOptions {
  /** The descriptor to write; stdout's own (1) by default. */
  fd?: number;
  /** Called with the number of lines dropped, once stdout takes lines again after dropping some. */
  onDropped?: (count: number) => void;
  maxWaitingBytes?: number;
}

/** A writer of whole lines to `fd`, without blocking while it is a pipe or socket that is full. */
export function createStdoutLines(options: StdoutLinesOptions = {}): StdoutLines {
  const writer = new LineWriter(options.fd ?? 1, options.maxWaitingBytes ?? MAX_WAITING_BYTES, options.onDropped);
  process.once('exit', () => writer.writeAllNow());
  return {
    write: (line) => writer.write(line),
    flush(callback) {
      writer.writeWaiting();
      callback?.();
    },
    dropped: () => writer.droppedTotal,
    waitingBytes: () => writer.waiting(),
  };
}

/** The writer's state in fields, its steps as methods (one object per process). */
class LineWriter {
  readonly fd: number;
  readonly maxWaiting: number;
  readonly onDropped: ((count: number) => void) | undefined;
  /** The lines of this turn, counted in characters. */
  lines: string[] = [];
  lineChars = 0;
  /** Bytes stdout did not take yet, written before the lines. */
  stuck: Buffer | undefined = undefined;
  scheduled = false;
  retry: NodeJS.Timeout | undefined = undefined;
  /** The reader took nothing for STALL_MS: lines are dropped, not waited for, until it takes bytes again. */
  stalled = false;
  droppedTotal = 0;
  droppedUnreported = 0;

  constructor(fd: number, maxWaiting: number, onDropped: ((count: number) => void) | undefined) {
    this.fd = nonBlocking(fd);
    this.maxWaiting = maxWaiting;
    this.onDropped = onDropped;
  }

  waiting(): number {
    return this.lineChars + (this.stuck?.length ?? 0);
  }

  write(line: string): void {
    // Counted in characters; in heap a line takes one or two bytes per character, so what waits
    // holds at most twice MAX_WAITING_BYTES (the figure in src/memory-model.ts).
    if (this.waiting() + line.length > this.maxWaiting && !this.makeRoom(line.length)) {
      this.droppedTotal += 1;
      this.droppedUnreported += 1;
      return;
    }
    this.lines.push(line);
    this.lineChars += line.length;
    if (!this.scheduled && this.retry === undefined) {
      this.scheduled = true;
      setImmediate(() => this.writeWaiting());
    }
  }

  /**
   * Room for `chars` more, by writing what waits now. A burst (many lines in one turn) waits for a
   * reader that is only slower than us, up to STALL_MS; a reader that takes nothing for that long
   * is stalled, and lines are dropped without waiting until it takes bytes again.
   */
  makeRoom(chars: number): boolean {
    if (this.stalled) return false;
    const giveUpAt = Date.now() + STALL_MS;
    for (;;) {
      this.writeWaiting();
      if (this.waiting() + chars <= this.maxWaiting) return true;
      if (Date.now() >= giveUpAt) {
        this.stalled = true;
        return false;
      }
      Atomics.wait(pause, 0, 0, 1);
    }
  }

  /** Writes what waits, as far as stdout takes it; tries the rest again in RETRY_MS. */
  writeWaiting(): void {
    this.scheduled = false;
    clearTimeout(this.retry);
    this.retry = undefined;
    if (this.lines.length > 0) {
      const text = Buffer.from(this.lines.join(''));
      this.stuck = this.stuck === undefined ? text : Buffer.concat([this.stuck, text]);
      this.lines = [];
      this.lineChars = 0;
    }
    if (!this.writeStuck()) return;
    if (this.stuck !== undefined) {
      this.retry = setTimeout(() => this.writeWaiting(), RETRY_MS).unref();
    } else if (this.droppedUnreported > 0) {
      const count = this.droppedUnreported;
      this.droppedUnreported = 0;
      this.onDropped?.(count);
    }
  }

  /** Writes `stuck` until stdout is full; false when stdout is gone (EPIPE) and what waited was dropped. */
  writeStuck(): boolean {
    while (this.stuck !== undefined) {
      let written: number;
      try {
        written = writeSync(this.fd, this.stuck);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return true;
        // Nobody reads stdout any more, or it failed: these lines cannot be written anywhere.
        this.droppedTotal += countLines(this.stuck);
        this.stuck = undefined;
        return false;
      }
      if (written > 0) this.stalled = false;
      this.stuck = written >= this.stuck.length ? undefined : this.stuck.subarray(written);
    }
    return true;
  }

  /** On exit: everything that waits, for at most EXIT_FLUSH_MS however full stdout is. */
  writeAllNow(): void {
    clearTimeout(this.retry);
    const text = Buffer.concat([this.stuck ?? Buffer.alloc(0), Buffer.from(this.lines.join(''))]);
    this.lines = [];
    this.lineChars = 0;
    this.stuck = undefined;
    writeBlocking(this.fd, text, Date.now() + EXIT_FLUSH_MS);
  }
}

/**
 * Makes stdout non-blocking when it is a pipe or a socket (a container runtime's log pipe, a
 * parent's socketpair): creating `process.stdout` has libuv set O_NONBLOCK on the descriptor, as
 * any Node process that uses console.log does anyway. A file never blocks; a terminal keeps its
 * mode (libuv opens its own descriptor of it), and then a stopped terminal blocks as it always did.
 */
function nonBlocking(fd: number): number {
  if (fd === 1) void process.stdout;
  return fd;
}

/** Writes all of `bytes`, waiting out EAGAIN (a descriptor another writer made non-blocking) until `untilMs`. */
function writeBlocking(fd: number, bytes: Buffer, untilMs: number): void {
  let rest = bytes;
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > untilMs) return;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** What Atomics.wait sleeps on: a short pause of the main thread, which has nothing else to do then. */
const pause = new Int32Array(new SharedArrayBuffer(4));

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count += 1;
  return count;
}
