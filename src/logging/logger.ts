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

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
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
    options.destination,
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
