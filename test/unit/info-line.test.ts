import { tracingChannel } from 'node:diagnostics_channel';
import { pino } from 'pino';
import type { Logger, LoggerOptions } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { infoLineWriter } from '../../src/logging/info-line.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { registerSecret } from '../../src/logging/scrub.ts';
import { OPERATION_LINE_KEYS } from '../../src/observability/operation-report.ts';

// The writer must write what `logger.info(record, message)` writes, byte for byte: each case writes
// the same record through pino and through the writer, each to its own destination, on one fixed clock.
type Key = (typeof OPERATION_LINE_KEYS)[number];
type Record_ = Partial<Record<Key, unknown>>;
const MESSAGE = 'graphql operation';

function collector() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
}

/** Lines from pino and from the writer, and how many records the writer handed to pino. */
function writeBoth(
  make: (destination: { write(line: string): void }) => Logger,
  records: readonly Record_[],
  message = MESSAGE,
  between: (index: number) => void = () => {},
) {
  const reference = collector();
  const written = collector();
  const pinoLogger = make(reference.destination);
  const writerLogger = make(written.destination);
  const viaPino = vi.spyOn(writerLogger, 'info');
  const write = infoLineWriter(writerLogger, message, OPERATION_LINE_KEYS);
  for (const [index, record] of records.entries()) {
    between(index);
    pinoLogger.info(record, message);
    write(record);
  }
  return { expected: reference.lines, actual: written.lines, viaPino: viaPino.mock.calls.length };
}

/** The operation reporter's logger: the gateway's, without redaction. */
const operationLogger = (destination: { write(line: string): void }) => createLogger({ destination }).child({}, { redact: [] });

const LONG = 'x'.repeat(5000);
const STRINGS = [
  '',
  'Summary',
  'with "quotes"',
  'back\\slash\\',
  'new\nline\r\ttab',
  '\u0000\u0001\u001f',
  '\u007f\u0080\u009f',
  'line\u2028para\u2029',
  'é€𝄞 😀',
  '</script><!--',
  '%s %d %j %o',
  '__proto__',
  'constructor',
  `${'x'.repeat(99)}"`,
  `${'x'.repeat(100)}\ud800`,
  LONG,
  `${LONG}"\\\n`,
];
// A string of at most 100 characters with a lone surrogate: pino writes it raw, JSON.stringify escapes it.
const LONE = ['\ud800', 'a\udc00b', 'x"\ud83d', 'tail\ud83d'];
const NUMBERS = [
  0,
  -0,
  1,
  12.6,
  -1.5,
  1e21,
  1e-7,
  5e-324,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];
const manyKeys = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`GET /route/${i} ${i % 3 ? 200 : 404}`, i]));
const OBJECTS: unknown[] = [
  null,
  true,
  false,
  [],
  ['NOT_FOUND'],
  [...STRINGS, ...LONE],
  Array.from({ length: 200 }, (_, i) => `CODE_${i}`),
  {},
  { 'GET /orders 200': 1, 'POST /auth/token timeout': 2 },
  manyKeys,
  JSON.parse('{"__proto__":1,"constructor":2,"toString":3,"10":4,"2":5,"headers":6}'),
  Object.fromEntries([...STRINGS, ...LONE].map((key, i) => [key, i])),
  { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, zero: -0, nested: { deep: [1, 'two', null] } },
  { toJSON: () => 'as JSON' },
  { toJSON: () => undefined },
  new Date(0),
  () => 'a function',
  Symbol('a symbol'),
];
const FIELD_VALUES: unknown[] = [undefined, ...STRINGS, ...NUMBERS, ...OBJECTS];

const BASE: Record_ = {
  requestId: '6b1c0f3e-0000-4000-8000-000000000001',
  operationName: 'Summary',
  operationType: 'query',
  callerMode: 'integration',
  client: 'shop-web',
  transport: 'http',
  httpMethod: 'POST',
  durationMs: 13,
  httpStatus: 200,
  errorCodes: [],
  upstreamCalls: 2,
  upstream: { 'GET /orders 200': 1, 'GET /products 200': 1 },
};

/** Every value in every field, in the line's key order. */
const oneFieldRecords = OPERATION_LINE_KEYS.flatMap((key) => FIELD_VALUES.map((value) => ({ ...BASE, [key]: value })));

/** Seeded combinations: each field absent or any value, lone surrogates and BigInts included. */
function mixedRecords(count: number): Record_[] {
  let seed = 0x2545f491;
  const next = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const values = [...FIELD_VALUES, ...LONE, 10n, { count: 10n }];
  return Array.from({ length: count }, () => {
    const record: Record_ = {};
    for (const key of OPERATION_LINE_KEYS) if (next(4) !== 0) record[key] = values[next(values.length)];
    return record;
  });
}

/** Whether the writer should hand a record to pino: a lone surrogate in a field's string, or a value JSON cannot hold. */
function needsPino(record: Record_): boolean {
  if (Object.values(record).some((value) => typeof value === 'string' && !value.isWellFormed())) return true;
  try {
    JSON.stringify(record);
    return false;
  } catch {
    return true;
  }
}

beforeAll(() => {
  vi.spyOn(Date, 'now').mockReturnValue(1_767_139_200_123);
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('infoLineWriter on the operation line', () => {
  it('writes every field value as pino does, byte for byte, without pino', () => {
    const records = [BASE, {}, ...oneFieldRecords];
    const { expected, actual, viaPino } = writeBoth(operationLogger, records);
    expect(expected).toHaveLength(records.length);
    expect(actual).toEqual(expected);
    // Only the long string with a lone surrogate, once per field: pino escapes it as JSON.stringify does.
    expect(viaPino).toBe(records.filter(needsPino).length);
    expect(viaPino).toBe(OPERATION_LINE_KEYS.length);
    expect(actual[0]).toBe(
      '{"level":30,"time":1767139200123,"service":"pharmaone-graph","requestId":"6b1c0f3e-0000-4000-8000-000000000001",' +
        '"operationName":"Summary","operationType":"query","callerMode":"integration","client":"shop-web","transport":"http",' +
        '"httpMethod":"POST","durationMs":13,"httpStatus":200,"errorCodes":[],"upstreamCalls":2,' +
        '"upstream":{"GET /orders 200":1,"GET /products 200":1},"msg":"graphql operation"}\n',
    );
  });

  it('hands pino the records it would write otherwise, and only those', () => {
    const lone = OPERATION_LINE_KEYS.flatMap((key) => LONE.map((value) => ({ ...BASE, [key]: value })));
    const bigints = OPERATION_LINE_KEYS.map((key) => ({ ...BASE, [key]: { nested: [1n] } }));
    const mixed = mixedRecords(3000);
    const records = [...lone, ...bigints, ...mixed];
    const { expected, actual, viaPino } = writeBoth(operationLogger, records);
    expect(actual).toEqual(expected);
    expect(viaPino).toBe(records.filter(needsPino).length);
    // The table reaches both ways.
    expect(viaPino).toBeGreaterThan(lone.length + bigints.length);
    expect(viaPino).toBeLessThan(records.length - mixed.length / 4);
  });

  it('writes no line when the level is above info, and follows the level as it changes', () => {
    const { lines, destination } = collector();
    const logger = createLogger({ level: 'warn', destination }).child({}, { redact: [] });
    const write = infoLineWriter(logger, MESSAGE, OPERATION_LINE_KEYS);
    write(BASE);
    logger.level = 'info';
    write(BASE);
    logger.level = 'silent';
    write(BASE);
    logger.level = 'debug';
    write(BASE);
    expect(lines).toHaveLength(2);
  });

  it('writes the message as the logger scrubs it, also once a secret in it is registered', () => {
    const secret = 'org-key-5f3a9c1e';
    const message = `op for ops@example.com with ${secret}`;
    const { expected, actual, viaPino } = writeBoth(operationLogger, [BASE, BASE, BASE], message, (index) => {
      if (index === 1) registerSecret(secret);
    });
    expect(actual).toEqual(expected);
    expect(viaPino).toBe(0);
    expect(actual.map((line) => JSON.parse(line).msg)).toEqual([
      `op for [email] with ${secret}`,
      'op for [email] with [secret]',
      'op for [email] with [secret]',
    ]);
  });

  it('lets pino write a message with a lone surrogate', () => {
    const { expected, actual, viaPino } = writeBoth(operationLogger, [BASE], 'half \ud800');
    expect(actual).toEqual(expected);
    expect(viaPino).toBe(1);
  });

  it('lets pino write the line while something traces pino building lines', () => {
    const channel = tracingChannel('pino_asJson');
    const seen: unknown[] = [];
    const handlers = { start: (message: unknown) => seen.push(message), end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    channel.subscribe(handlers);
    try {
      const { expected, actual, viaPino } = writeBoth(operationLogger, [BASE]);
      expect(actual).toEqual(expected);
      expect(viaPino).toBe(1);
      expect(seen).toHaveLength(2);
    } finally {
      channel.unsubscribe(handlers);
    }
  });
});

describe('infoLineWriter on loggers set up otherwise', () => {
  const records = [BASE, {}, ...oneFieldRecords.filter((_, i) => i % 7 === 0)];
  const pinoWith = (options: LoggerOptions, destination?: unknown) => (sink: { write(line: string): void }) =>
    pino(options, (destination ?? sink) as { write(line: string): void });
  const cases: Array<[string, 'writer' | 'pino', (sink: { write(line: string): void }) => Logger]> = [
    ['the gateway logger, redaction on', 'pino', (sink) => createLogger({ destination: sink })],
    ['child bindings', 'writer', (sink) => createLogger({ destination: sink }).child({ scope: 'a"b\n', n: 1 }, { redact: [] })],
    ['default pino', 'writer', pinoWith({})],
    ['no base', 'writer', pinoWith({ base: null })],
    ['a custom timestamp', 'writer', pinoWith({ timestamp: () => ',"time":"noon"' })],
    ['no timestamp', 'writer', pinoWith({ timestamp: false })],
    ['another message key', 'writer', pinoWith({ messageKey: 'message' })],
    ['CRLF line ends', 'writer', pinoWith({ crlf: true })],
    ['level labels', 'writer', pinoWith({ formatters: { level: (label) => ({ level: label }) } })],
    ['a mixin', 'pino', pinoWith({ mixin: () => ({ extra: 1 }) })],
    ['a message prefix', 'pino', pinoWith({ msgPrefix: '[p] ' })],
    ['a nested key', 'pino', pinoWith({ nestedKey: 'payload' })],
    ['a log formatter', 'pino', pinoWith({ formatters: { log: (o) => ({ ...o, added: true }) } })],
    ['a serializer of a field', 'pino', pinoWith({ serializers: { upstream: () => 'hidden' } })],
    ['a field as error key', 'pino', pinoWith({ errorKey: 'upstream' })],
    ['a redacted field', 'pino', pinoWith({ redact: ['requestId'] })],
    ['a wildcard redaction', 'pino', pinoWith({ redact: ['*.headers'] })],
    ['a stream hook', 'pino', pinoWith({ hooks: { streamWrite: (s) => s.toUpperCase() } })],
    [
      'another log hook',
      'pino',
      pinoWith({
        hooks: {
          logMethod(args, method) {
            method.call(this, args[0] as object, 'changed');
          },
        },
      }),
    ],
    ['a stream wanting metadata', 'pino', (sink) => pino({}, pino.multistream([{ stream: sink }]))],
  ];

  it.each(cases)('with %s, writes what pino writes (written by %s)', (_, by, make) => {
    const { expected, actual, viaPino } = writeBoth(make, records);
    expect(expected).toHaveLength(records.length);
    expect(actual).toEqual(expected);
    expect(viaPino).toBe(by === 'pino' ? records.length : 0);
  });
});
