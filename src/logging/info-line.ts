// One info line of a fixed shape, written byte for byte as `logger.info(record, message)` would write it,
// with one native JSON.stringify of the record instead of pino's walk of it (the hook, a key-by-key
// escaper, a string per key): the operation line is written once per request, so its cost is per request.
// pino writes `{"level":30` + `,"time":…` + the bindings + `,"key":value` per own defined key of the
// record + `,"msg":"…"}` + newline, to its stream. Two values differ between pino and JSON.stringify: a
// string of up to 100 characters holding a lone surrogate (pino's escaper leaves it raw, JSON.stringify
// escapes it) and a BigInt (JSON.stringify throws); a record holding either is written by pino. A logger
// set up in a way this does not reproduce has every one of its lines written by pino.
import { tracingChannel } from 'node:diagnostics_channel';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { scrubMessages } from './logger.ts';
import { scrubText, secretRegistrations } from './scrub.ts';

type Internals = Record<symbol, unknown>;
type Stream = { write(line: string): unknown; [key: symbol]: unknown };

// pino has the message prefix's symbol but its types do not.
const symbols = pino.symbols as typeof pino.symbols & { readonly msgPrefixSym: symbol };
// pino traces each line it builds on this channel when anything subscribes to it.
const asJsonChannel = tracingChannel('pino_asJson');
// Keys pino reads as an HTTP request or response (it then logs their mapping instead of the record).
const REQUEST_LIKE_KEY = /^(?:method|headers|socket|setHeader)$/;

export type InfoLineWriter<K extends string> = (record: { readonly [key in K]?: unknown }) => void;

/** A writer of `logger.info(record, message)` for records with at most `keys`, in any order. */
export function infoLineWriter<K extends string>(logger: Logger, message: string, keys: readonly K[]): InfoLineWriter<K> {
  const viaPino: InfoLineWriter<K> = (record) => logger.info(record as object, message);
  const internals = logger as unknown as Internals;
  const level = logger.levels.values.info;
  const head = level === undefined ? undefined : (internals[symbols.lsCacheSym] as Record<number, unknown>)[level];
  const stream = internals[symbols.streamSym] as Stream;
  const scrubbed = (internals[symbols.hooksSym] as { logMethod?: unknown } | undefined)?.logMethod === scrubMessages;
  if (typeof head !== 'string' || !reproducible(internals, stream, keys)) return viaPino;
  const messageKey = internals[symbols.messageKeySym] as string;
  const lineEnd = internals[symbols.endSym] as string;
  const tailOf = (text: string) => (text.isWellFormed() ? `,"${messageKey}":${JSON.stringify(text)}${lineEnd}` : undefined);
  // The message as the logger's hook writes it: scrubbed, and scrubbed again once a secret is registered.
  let tail = scrubbed ? undefined : tailOf(message);
  let tailAt = -1;
  return (record) => {
    if (!logger.isLevelEnabled('info')) return;
    if (scrubbed && tailAt !== secretRegistrations()) {
      tailAt = secretRegistrations();
      tail = tailOf(scrubText(message));
    }
    if (tail === undefined || asJsonChannel.hasSubscribers || !plain(record, keys)) return viaPino(record);
    const time = (internals[symbols.timeSym] as () => string).call(logger);
    let json: string;
    try {
      json = JSON.stringify(record);
    } catch {
      return viaPino(record);
    }
    const fields = json.length > 2 ? `,${json.slice(1, -1)}` : '';
    stream.write(head + time + (internals[symbols.chindingsSym] as string) + fields + tail);
  };
}

/** Whether pino, set up as this logger is, writes a record with these keys as plain JSON of it. */
function reproducible(internals: Internals, stream: Stream, keys: readonly string[]): boolean {
  const hooks = internals[symbols.hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const formatters = internals[symbols.formattersSym] as { log?: unknown } | undefined;
  const serializers = internals[symbols.serializersSym] as Record<string, unknown>;
  const stringifiers = internals[symbols.stringifiersSym] as Record<string | symbol, unknown>;
  const messageKey = internals[symbols.messageKeySym];
  const errorKey = internals[symbols.errorKeySym];
  if (typeof stream?.write !== 'function' || stream[symbols.needsMetadataGsym] === true) return false;
  if (hooks?.streamWrite || (hooks?.logMethod && hooks.logMethod !== scrubMessages)) return false;
  if (internals[symbols.mixinSym] || formatters?.log || internals[symbols.nestedKeySym]) return false;
  if (typeof internals[symbols.msgPrefixSym] === 'string' || typeof internals[symbols.timeSym] !== 'function') return false;
  if (typeof messageKey !== 'string' || !/^[a-z]+$/i.test(messageKey)) return false;
  if (stringifiers[symbols.wildcardFirstSym] || stringifiers[messageKey] || serializers[messageKey]) return false;
  return keys.every(
    (key) => key !== errorKey && !REQUEST_LIKE_KEY.test(key) && !serializers[key] && !stringifiers[key] && /^[a-z]+$/i.test(key),
  );
}

/** Whether each field of the record is one pino and JSON.stringify write alike. */
function plain(record: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && !value.isWellFormed()) return false;
  }
  return true;
}
