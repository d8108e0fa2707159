// Structured JSON logs (pino). What may appear: request ids, operation names, durations, counts,
// route templates, status codes, error codes and scrubbed error texts. Header, variable and body
// paths are redacted in case one is ever logged by mistake.
import { pino } from 'pino';
import type { DestinationStream, LogFn, Logger } from 'pino';
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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'pharmaone-graph' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      hooks: { logMethod: scrubMessages },
    },
    options.destination,
  );
}

/** Free-text messages are scrubbed too. Named, so a line writer can tell this is the logger's only hook (src/logging/info-line.ts). */
export function scrubMessages(this: Logger, args: Parameters<LogFn>, method: LogFn): void {
  method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<LogFn>);
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
