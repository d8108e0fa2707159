// A PharmaOne answer is JSON.parse'd only after one linear scan says it is shaped like an answer:
// nested at most MAX_JSON_DEPTH deep and holding at most MAX_JSON_VALUES values. Without it, 8 MB
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

/**
 * Whether `text` stays within the depth and value limits. It does not validate JSON (JSON.parse
 * does, afterwards): it only counts brackets and commas outside strings, so whatever it accepts
 * costs JSON.parse at most `limits.maxValues` values nested `limits.maxDepth` deep.
 */
export function withinJsonLimits(text: string, limits = { maxDepth: MAX_JSON_DEPTH, maxValues: MAX_JSON_VALUES }): boolean {
  let depth = 0;
  // Every element or member but a container's first follows a comma; the first is counted with
  // its container's opening: `[0,0,0]` counts 3.
  let values = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) return true; // unterminated: JSON.parse refuses it, cheaply
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limits.maxDepth || ++values > limits.maxValues) return false;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    } else if (c === COMMA) {
      if (++values > limits.maxValues) return false;
    }
  }
  return true;
}

/** The index of the quote closing the string opened at `start`, or -1. indexOf skips text in bulk. */
function endOfString(text: string, start: number): number {
  let i = start;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return -1;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}
