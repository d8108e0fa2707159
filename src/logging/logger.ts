// Structured JSON logs (pino). What may appear: request ids, operation names, durations, counts,
// route templates, status codes, error codes and scrubbed error texts. Header, variable and body
// paths are redacted in case one is ever logged by mistake.
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { scrubText } from './scrub.ts';
import { createStdoutLines } from './stdout-lines.ts';
import type { StdoutLines } from './stdout-lines.ts';

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

/** stdout's one writer (./stdout-lines.ts), made with the first logger that writes there. */
let stdoutLines: StdoutLines | undefined;
/** The logger that reports lines a blocked stdout made the writer drop. */
let dropReporter: Logger | undefined;

/** Log lines dropped so far because stdout was blocked (the `gateway_log_lines_dropped_total` metric). */
export function droppedLogLines(): number {
  return stdoutLines?.dropped() ?? 0;
}

/** Bytes of log lines waiting for a blocked stdout now (at most MAX_WAITING_BYTES, ./stdout-lines.ts). */
export function waitingLogBytes(): number {
  return stdoutLines?.waitingBytes() ?? 0;
}

function sharedStdoutLines(): StdoutLines {
  stdoutLines ??= createStdoutLines({
    onDropped: (count) => dropReporter?.warn({ droppedLines: count }, 'log lines dropped while stdout was blocked'),
  });
  return stdoutLines;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const logger = pino(
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
    options.destination ?? sharedStdoutLines(),
  );
  if (options.destination === undefined) dropReporter ??= logger;
  return logger;
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
