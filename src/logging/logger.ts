// Structured JSON logs (pino). What may appear: request ids, operation names, durations, counts,
// route templates, status codes, error codes and scrubbed error texts. Header, variable and body
// paths are redacted in case one is ever logged by mistake.
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { scrubText } from './scrub.ts';

export type { Logger };

const REDACTED_PATHS = [
  'apikey',
  'authorization',
  'headers',
  'req.headers',
  'variables',
  'body',
  'input',
  '*.apikey',
  '*.authorization',
  '*.headers',
  '*.variables',
  '*.body',
  '*.input',
];

/**
 * How log lines reach stdout (LOG_SYNC=false, the default). A synchronous write per line cost
 * ~44 µs of a small request's CPU when stdout is a pipe, as in a container (bench/RESULTS.md,
 * issue 25). Lines are gathered and written asynchronously (pino's sonic-boom, as pino documents
 * for production) once MIN_BYTES are waiting or FLUSH_MS has passed, and on exit.
 * Trade-off: a process killed without an exit (SIGKILL, the kernel's OOM killer) loses what was
 * waiting: at most MAX_BYTES, and never lines older than FLUSH_MS unless stdout itself is stuck.
 * SIGTERM/SIGINT (src/main.ts: flushLogs before exit), process.exit and a crash (an uncaught
 * exception ends through 'exit', where pino flushes synchronously) lose nothing.
 * When stdout is slower than the lines for long (a stuck log collector), lines beyond MAX_BYTES
 * are dropped and counted (pharmaone_log_lines_dropped_total) instead of growing memory or
 * blocking requests behind a pipe.
 */
export const LOG_BUFFER = { MIN_BYTES: 4096, MAX_BYTES: 4 * 1024 * 1024, FLUSH_MS: 100 } as const;

let dropped = 0;

/** Log lines dropped because the buffer was full (stdout slower than the lines), since start. */
export function droppedLogLines(): number {
  return dropped;
}

/** stdout through a bounded asynchronous buffer, or (sync) a synchronous write per line (LOG_SYNC=true: debugging, a line before a crash that never exits). */
export function stdoutDestination(options: { sync?: boolean; fd?: number; maxBytes?: number } = {}): DestinationStream & {
  flush(cb?: (error?: Error) => void): void;
  flushSync(): void;
} {
  const fd = options.fd ?? 1;
  if (options.sync) return pino.destination({ dest: fd, sync: true });
  const stream = pino.destination({
    dest: fd,
    sync: false,
    minLength: LOG_BUFFER.MIN_BYTES,
    maxLength: options.maxBytes ?? LOG_BUFFER.MAX_BYTES,
    periodicFlush: LOG_BUFFER.FLUSH_MS,
  });
  stream.on('drop', (line: unknown) => {
    dropped += typeof line === 'string' ? Math.max(1, line.split('\n').length - 1) : 1;
  });
  return stream;
}

type Flushable = { flush(cb?: (error?: Error) => void): void };

/** Resolves once every line the logger has taken is written (pino's flush), at most `timeoutMs` later. */
export function flushLogs(logger: Logger, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    try {
      (logger as unknown as Flushable).flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export function createLogger(options: { level?: string; destination?: DestinationStream; sync?: boolean } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'pharmaone-graph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      hooks: {
        // Free-text messages are scrubbed too.
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? stdoutDestination({ sync: options.sync ?? false }),
  );
}

/** Error name, code and scrubbed message and stack; never the error's own properties (bodies, configs). */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubText(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: scrubText(error.message),
    stack: error.stack ? scrubText(error.stack) : undefined,
  };
}
