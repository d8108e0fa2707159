// The streaming scan of PharmaOne's answers (src/upstream/json-limits.ts) finds a string's end in
// a short byte window, then natively (Buffer.indexOf), instead of byte by byte. It must decide exactly as the plain byte loop
// does, whatever the text and wherever the chunks split it (an escape's backslashes, a quote, a
// string's end falling across chunks): this test holds it to that loop, on random texts.
import { describe, expect, it } from 'vitest';
import { createJsonLimitsScan } from '../../src/upstream/json-limits.ts';

/** The plain byte loop, the scan's definition: depth and values outside strings, escapes honoured. */
function byteLoop(bytes: Buffer, maxDepth: number, maxValues: number): boolean {
  let depth = 0;
  let values = 0;
  let inString = false;
  let backslashes = 0;
  for (const c of bytes) {
    if (inString) {
      if (c === 0x5c) backslashes++;
      else {
        if (c === 0x22 && backslashes % 2 === 0) inString = false;
        backslashes = 0;
      }
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth || ++values > maxValues) return false;
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++values > maxValues) return false;
  }
  return true;
}

/** A seeded generator, so a failure names a case that can be run again. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const ALPHABET = ['"', '\\', '\\', '[', ']', '{', '}', ',', 'a', ' ', ':', '1', 'é'];

function randomText(next: () => number): string {
  const length = Math.floor(next() * 80);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function chunksOf(bytes: Buffer, next: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = 1 + Math.floor(next() * 6);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('the streaming scan of an answer', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('decides as the byte loop does, in any chunks (seed %i)', (seed) => {
    const next = random(seed);
    for (let round = 0; round < 250; round++) {
      const bytes = Buffer.from(randomText(next), 'utf8');
      const limits = { maxDepth: 1 + Math.floor(next() * 4), maxValues: 1 + Math.floor(next() * 12) };
      const scan = createJsonLimitsScan(limits);
      let within = true;
      for (const chunk of chunksOf(bytes, next)) within = scan.push(chunk) && within;
      expect({ text: bytes.toString(), limits, within }).toEqual({
        text: bytes.toString(),
        limits,
        within: byteLoop(bytes, limits.maxDepth, limits.maxValues),
      });
    }
  });

  // Strings shorter than the scan's window are searched byte by byte, longer ones natively from the
  // window's end: long runs of string bytes (with escapes and quotes at any distance from a
  // string's start, and chunks of any size up to several windows) reach both and their seam.
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('decides as the byte loop does on long strings, in any chunks (seed %i)', (seed) => {
    const next = random(1_000 + seed);
    for (let round = 0; round < 100; round++) {
      let text = '';
      const pieces = 1 + Math.floor(next() * 8);
      for (let p = 0; p < pieces; p++) {
        text += randomText(next);
        text += 'x'.repeat(Math.floor(next() * 100));
        if (next() < 0.5) text += '\\'.slice(0, 1 + Math.floor(next() * 2));
      }
      const bytes = Buffer.from(text, 'utf8');
      const limits = { maxDepth: 1 + Math.floor(next() * 4), maxValues: 1 + Math.floor(next() * 12) };
      const scan = createJsonLimitsScan(limits);
      let within = true;
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + Math.floor(next() * 120);
        within = scan.push(bytes.subarray(at, at + size)) && within;
        at += size;
      }
      expect({ text, limits, within }).toEqual({ text, limits, within: byteLoop(bytes, limits.maxDepth, limits.maxValues) });
    }
  });

  it.each([
    ['an escaped quote split after its backslash', ['["a\\', '"",[[1]]]'], false],
    ['two backslashes then a closing quote, split between them', ['["a\\', '\\"', ',[[1]]]'], false],
    ['a quote hidden by three backslashes', ['["\\\\\\"[[[["]'], true],
  ])('%s', (_, parts, within) => {
    const scan = createJsonLimitsScan({ maxDepth: 2, maxValues: 100 });
    let result = true;
    for (const part of parts) result = scan.push(Buffer.from(part)) && result;
    expect(result).toBe(within);
    expect(byteLoop(Buffer.from(parts.join('')), 2, 100)).toBe(within);
  });
});
