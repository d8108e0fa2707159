// The shared deadline clock (src/upstream/resilience/deadline-clock.ts): one coarse interval
// instead of a native timer per operation. Driven by an injected clock and `advance()` where the
// timing is the subject; the interval, unref and holding are checked on a real process.
import { spawn } from 'node:child_process';
import { getEventListeners, once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { must } from '../support/must.ts';
import { DeadlineClock, deadlineClock } from '../../src/upstream/resilience/deadline-clock.ts';
import { createDeadline, onAbort, pauseUnlessAborted } from '../../src/upstream/resilience/deadline.ts';

function fakeClock(start: number) {
  let now = start;
  return { now: () => now, set: (value: number) => (now = value) };
}

describe('DeadlineClock', () => {
  it.each([
    { deadline: 1_000, before: 999, after: 1_000 },
    { deadline: 1_001, before: 1_024, after: 1_025 },
    { deadline: 1_013, before: 1_024, after: 1_025 },
    { deadline: 1_024, before: 1_024, after: 1_025 },
    { deadline: 1_025, before: 1_024, after: 1_025 },
  ])('aborts a deadline at $deadline by the end of its tick, not before the deadline ($before → $after)', ({ deadline, before, after }) => {
    const time = fakeClock(0);
    const clock = new DeadlineClock(25, time.now);
    const signal = clock.signalAt(deadline);
    time.set(before);
    clock.advance();
    expect(signal.aborted).toBe(false);
    time.set(after);
    clock.advance();
    expect(signal.aborted).toBe(true);
    expect(after - deadline).toBeLessThan(25);
    expect(after).toBeGreaterThanOrEqual(deadline);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(clock.pending).toBe(0);
    expect(clock.running).toBe(false);
  });

  it('gives a deadline already past an aborted signal and files nothing', () => {
    const time = fakeClock(5_000);
    const clock = new DeadlineClock(25, time.now);
    const signal = clock.signalAt(5_000);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(clock.pending).toBe(0);
    expect(clock.running).toBe(false);
  });

  it('aborts each of many deadlines in its own tick only, and empties as they pass', () => {
    const time = fakeClock(0);
    const clock = new DeadlineClock(10, time.now);
    const deadlines = Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 1_000));
    const signals = deadlines.map((at) => clock.signalAt(at));
    for (let now = 0; now <= 1_010; now += 10) {
      time.set(now);
      clock.advance();
      const aborted = deadlines.map((at, i) => ({ at, now, aborted: signals[i]?.aborted }));
      expect(aborted).toEqual(deadlines.map((at) => ({ at, now, aborted: now >= Math.ceil(at / 10) * 10 })));
    }
    expect(clock.pending).toBe(0);
    expect(clock.running).toBe(false);
  });

  it('aborts on its own interval, within the resolution (plus event-loop lag) after the deadline', async () => {
    // The clock reads a time held still while the deadline is filed: however slow the machine,
    // 30 ms have not passed yet when it is filed, so it goes on the interval (then time runs).
    const filedAt = Date.now();
    let still = true;
    const clock = new DeadlineClock(10, () => (still ? filedAt : Date.now()));
    const at = filedAt + 30;
    const signal = clock.signalAt(at);
    still = false;
    expect(clock.running).toBe(true);
    await once(signal, 'abort');
    expect(Date.now()).toBeGreaterThanOrEqual(at);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(clock.running).toBe(false);
  });
});

describe('an operation deadline on the shared clock', () => {
  it('aborts with TimeoutError, and still aborts when the client is cancelled first', async () => {
    const timed = createDeadline(60);
    await passed(timed.signal);
    expect((timed.signal.reason as DOMException).name).toBe('TimeoutError');

    let tied: AbortController | undefined;
    const watched = createDeadline(60_000, Date.now, (controller) => {
      expect(tied).toBeUndefined();
      tied = controller;
    });
    expect(tied).toBeUndefined();
    const signal = watched.signal;
    expect(watched.signal).toBe(signal);
    must(tied, 'the controller handed to the client watch').abort(new Error('client gone'));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('client gone');
    expect(deadlineClock.pending).toBeGreaterThan(0);
  });
});

describe('an operation deadline finished when its answer is sent', () => {
  it('leaves the clock without aborting when nothing waits on it, and is never aborted at its deadline', () => {
    const before = deadlineClock.pending;
    const deadline = createDeadline(60_000);
    const signal = deadline.signal;
    expect(deadlineClock.pending).toBe(before + 1);
    deadline.finish();
    expect(deadlineClock.pending).toBe(before);
    expect(signal.aborted).toBe(false);
  });

  it('stops the waits still on it (an upstream call, a retry pause) with an AbortError', async () => {
    const deadline = createDeadline(60_000);
    const signal = deadline.signal;
    const heard: string[] = [];
    onAbort(signal, () => heard.push('call'));
    const pause = pauseUnlessAborted(60_000, signal);
    deadline.finish();
    await expect(pause).rejects.toMatchObject({ name: 'AbortError' });
    expect(heard).toEqual(['call']);
    expect((signal.reason as DOMException).name).toBe('AbortError');
  });

  it('costs nothing for an operation that made no upstream call, and is idempotent', () => {
    const before = deadlineClock.pending;
    const unused = createDeadline(60_000);
    unused.finish();
    expect(deadlineClock.pending).toBe(before);
    const used = createDeadline(60_000);
    const signal = used.signal;
    used.finish();
    used.finish();
    expect(deadlineClock.pending).toBe(before);
    expect(signal.aborted).toBe(false);
  });

  it('leaves the clock when its client left first (or its parts were cut): the abort does not keep it there', () => {
    const before = deadlineClock.pending;
    let tied: AbortController | undefined;
    const deadline = createDeadline(60_000, Date.now, (controller) => {
      tied = controller;
    });
    const signal = deadline.signal;
    must(tied, 'the controller handed to the client watch').abort(new Error('client gone'));
    expect(deadlineClock.pending).toBe(before + 1);
    deadline.finish();
    expect(deadlineClock.pending).toBe(before);
    expect((signal.reason as Error).message).toBe('client gone');
  });

  it('leaves a deadline that already passed as it was: a TimeoutError', async () => {
    const timed = createDeadline(1);
    await passed(timed.signal);
    timed.finish();
    expect((timed.signal.reason as DOMException).name).toBe('TimeoutError');
  });
});

describe('a pause that stops on its signal', () => {
  it('resolves after its time, and rejects at once on a signal already aborted', async () => {
    await expect(pauseUnlessAborted(5, new AbortController().signal)).resolves.toBeUndefined();
    await expect(pauseUnlessAborted(5, undefined)).resolves.toBeUndefined();
    const gone = new AbortController();
    gone.abort(new Error('gone'));
    await expect(pauseUnlessAborted(60_000, gone.signal)).rejects.toThrow('gone');
  });

  it('stops listening to the signal once its time is up (a finished pause holds nothing)', async () => {
    const controller = new AbortController();
    const pause = pauseUnlessAborted(5, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await pause;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

/**
 * Waits for a deadline's signal to abort. A deadline already past when its signal is first read
 * (a machine slow enough that its milliseconds went by) is aborted then, and fires no event.
 */
async function passed(signal: AbortSignal): Promise<void> {
  if (!signal.aborted) await once(signal, 'abort');
}

/** Runs `script` (an ES module) in a fresh Node with --expose-gc; resolves its exit code and stdout. */
async function runNode(script: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout };
}

const CLOCK_URL = new URL('../../src/upstream/resilience/deadline-clock.ts', import.meta.url).href;

describe('the clock in a real process', () => {
  it('does not keep a process alive that waits on nothing but a far deadline', async () => {
    const result = await runNode(
      `const { deadlineClock } = await import(${JSON.stringify(CLOCK_URL)});
       globalThis.kept = deadlineClock.signalAt(Date.now() + 3_600_000);
       console.log(deadlineClock.running);`,
    );
    expect(result).toEqual({ code: 0, stdout: 'true\n' });
  });

  it('keeps a signal someone still waits on: it aborts at its deadline though its operation is gone', async () => {
    const result = await runNode(
      `const { deadlineClock } = await import(${JSON.stringify(CLOCK_URL)});
       const waited = new Promise((resolve) => deadlineClock.signalAt(Date.now() + 100).addEventListener('abort', (e) => resolve(e.target.reason.name)));
       const hold = setInterval(() => globalThis.gc(), 5);
       console.log(await waited);
       clearInterval(hold);`,
    );
    expect(result).toEqual({ code: 0, stdout: 'TimeoutError\n' });
  });
});
