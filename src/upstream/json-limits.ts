// A PharmaOne answer is JSON.parse'd only after one linear scan says it is shaped like an answer:
// nested at most MAX_JSON_DEPTH deep and holding at most MAX_JSON_VALUES values. The scan runs on
// the body's bytes as they arrive (src/upstream/http.ts), so reading stops at the first chunk past
// a limit: a 2 MB body of `[[[[…` otherwise still cost a buffer, a decoded string of the same size
// and a collection of both, ≈ 100–200 ms of a blocked loop in a 384 MiB-heap process. Without it, 8 MB
// of `[[[[…` (4·10⁶ levels, under the body cap) made V8 build four million arrays: seconds of a
// blocked event loop and ≈ 400 MB of heap before the shape check refused it. The scan costs a few
// ms per MB and allocates nothing; PharmaOne's real answers are at most four levels deep.

/** The deepest nesting accepted; the deepest documented answer (the dashboard's rows) is 4 levels. */
export const MAX_JSON_DEPTH = 32;
/**
 * The most array elements and object members accepted in one answer. A page of 100 orders is
 * ≈ 2,000; a catalog page of 100 products ≈ 1,000. Bounds what JSON.parse allocates for a body of
 * small values (`[0,0,0,…]` is 4·10⁶ numbers in 8 MB).
 */
export const MAX_JSON_VALUES = 500_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

export interface JsonLimits {
  maxDepth: number;
  maxValues: number;
}

export interface JsonLimitsScan {
  /** Scans the next bytes of the body; false once the body went past a limit (and from then on). */
  push(chunk: Uint8Array): boolean;
}

/**
 * A scan of a JSON body as its bytes arrive, so a hostile answer is refused at the chunk that goes
 * past a limit: the rest is never read, buffered, decoded or parsed. It does not validate JSON
 * (JSON.parse does, afterwards): it only counts brackets and commas outside strings, so whatever it
 * accepts costs JSON.parse at most `maxValues` values nested `maxDepth` deep. Bytes, not
 * characters: every byte it looks for is ASCII, and UTF-8 never uses those bytes inside a
 * multi-byte character. A string's escapes may straddle two chunks: the state carries over.
 */
export function createJsonLimitsScan(limits: JsonLimits = { maxDepth: MAX_JSON_DEPTH, maxValues: MAX_JSON_VALUES }): JsonLimitsScan {
  let depth = 0;
  // Every element or member but a container's first follows a comma; the first is counted with
  // its container's opening: `[0,0,0]` counts 3.
  let values = 0;
  let inString = false;
  /** Backslashes in a row just before the current byte, inside a string: an odd run escapes it. */
  let backslashes = 0;
  let over = false;
  return {
    push(chunk) {
      if (over) return false;
      const length = chunk.length;
      let i = 0;
      while (i < length) {
        if (inString) {
          // Most of a body is string contents: find the next quote, then look back for the
          // backslashes just before it (those carried over from the previous chunk included). Most
          // strings are short (keys, ids, dates): a few byte reads find their end, where a native
          // indexOf per string cost more in its call than in its search; a long one is skipped natively.
          const quote = nextQuote(chunk, i, length);
          const end = quote === -1 ? length : quote;
          let run = 0;
          while (end - run - 1 >= i && chunk[end - run - 1] === BACKSLASH) run++;
          if (end - run === i) run += backslashes;
          if (quote === -1) {
            backslashes = run;
            return true;
          }
          backslashes = 0;
          if (run % 2 === 0) inString = false;
          i = quote + 1;
          continue;
        }
        const c = chunk[i];
        if (c === QUOTE) {
          inString = true;
          backslashes = 0;
        } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
          if (++depth > limits.maxDepth || ++values > limits.maxValues) over = true;
        } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
          depth--;
        } else if (c === COMMA && ++values > limits.maxValues) {
          over = true;
        }
        if (over) return false;
        i++;
      }
      return true;
    },
  };
}

/** Bytes read one by one before a string's end is searched natively. */
const SHORT_STRING_BYTES = 32;

/** The index of the next quote byte at or after `from`, or -1. */
function nextQuote(chunk: Uint8Array, from: number, length: number): number {
  const stop = Math.min(length, from + SHORT_STRING_BYTES);
  for (let j = from; j < stop; j++) if (chunk[j] === QUOTE) return j;
  return stop < length ? chunk.indexOf(QUOTE, stop) : -1;
}

/** Whether `text` stays within the depth and value limits (the scan above, over the whole text). */
export function withinJsonLimits(text: string, limits?: JsonLimits): boolean {
  return createJsonLimitsScan(limits).push(Buffer.from(text, 'utf8'));
}
