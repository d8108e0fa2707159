// An explicit check for tests where `value!` would assert silently: a missing value fails the test
// with a message that names what was expected, instead of a TypeError three lines later.
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`expected ${what}, got ${value}`);
  return value;
}
