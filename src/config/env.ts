// The one environment-variable parser. Every setting of the gateway (and of `npm run sandbox`) is
// read through an EnvReader, so a boolean, an integer, a duration or a size is spelled the same
// way everywhere, and a bad value becomes a problem on a list instead of a thrown error: start-up
// prints every problem at once (ConfigError) rather than one per restart.
//
// Units live in the variable's name, never in its value: `*_MS` and `*_SECONDS` are durations,
// `*_BYTES`, `*_KB` and `*_MB` are sizes, `*_PERCENT` a fraction. The reader derives the unit from
// the name, so a name and its unit cannot disagree (reading `FOO_MS` as seconds is impossible).
import { accessSync, constants } from 'node:fs';

export type Env = Readonly<Record<string, string | undefined>>;

/** Every problem found in the configuration, one line each; the message lists them all. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface IntOptions {
  /** Used when the variable is unset or empty (and after a problem, so loading goes on). */
  fallback: number;
  min: number;
  max: number;
}

/** How a variable is read: what docs/configuration.md says of it (scripts/codegen/configuration-doc.ts). */
export type SettingKind = 'text' | 'integer' | 'boolean' | 'duration' | 'size' | 'percent' | 'choice' | 'url' | 'file';

export interface SettingRead {
  kind: SettingKind;
  /** The value used when the variable is unset, as it would be written (in the name's unit); undefined: none. */
  fallback?: string;
  /** Bounds, in the name's unit. */
  min?: number;
  max?: number;
  /** The unit the name ends with (`ms`, `s`, `bytes`, `KiB`, `MiB`, `%`). */
  unit?: string;
  /** The accepted values of a choice, or the protocols of a URL. */
  values?: readonly string[];
}

export interface EnvReader {
  /** NODE_ENV=production: the defaults that differ (GraphiQL, introspection, the sandbox) turn safe. */
  readonly production: boolean;
  /** Trimmed text; undefined when unset or blank (or `fallback` when one is given). */
  text(name: string): string | undefined;
  text(name: string, fallback: string): string;
  /** A whole number within [min, max]. */
  int(name: string, options: IntOptions): number;
  /** A whole number within [min, max], or undefined when unset: for a setting whose absence means something. */
  optionalInt(name: string, options: Omit<IntOptions, 'fallback'>): number | undefined;
  /** `true/1/yes/on` or `false/0/no/off`, any case. */
  bool(name: string, fallback: boolean): boolean;
  /** A whole number in the unit the name ends with (`_MS`, `_SECONDS`); bounds in that unit; returns milliseconds. */
  durationMs(name: string, options: IntOptions): number;
  /** A whole number in the unit the name ends with (`_BYTES`, `_KB`, `_MB`); bounds in that unit; returns bytes. */
  bytes(name: string, options: IntOptions): number;
  /** A whole `*_PERCENT` number; bounds in percent; returns the fraction (20 → 0.2). */
  fraction(name: string, options: IntOptions): number;
  /** One of `values` (any case), returned in the spelling of `values`. */
  oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T;
  /** An absolute URL whose protocol is one of `protocols`. The value is never echoed (URLs may hold credentials). */
  url(name: string, protocols?: readonly string[]): string | undefined;
  /** A path to a file this process can read. */
  file(name: string): string | undefined;
  /** Records a problem found by a rule that spans several variables. */
  problem(message: string): void;
  /** Runs a loader that throws on bad input; its message becomes a problem and `fallback` is returned. */
  attempt<T>(load: () => T, fallback: T): T;
  readonly problems: readonly string[];
  /**
   * Every name looked up so far, set or not: the names the configuration code knows. There is no
   * other way to see the environment's values, so a read cannot bypass this record.
   */
  readonly namesRead: ReadonlySet<string>;
  /** How each name in `namesRead` was read: its kind, default and bounds (a typed read wins over a plain `text`). */
  readonly reads: ReadonlyMap<string, SettingRead>;
  /** The names set in the environment (never their values), to compare with `namesRead`. */
  readonly namesSet: readonly string[];
}

// The accepted spellings, as pairs; the problem message is built from this list, so it names
// exactly what is accepted (docs/configuration.md's `true/1/yes/on` or `false/0/no/off`).
const BOOLEAN_SPELLINGS: ReadonlyArray<readonly [truthy: string, falsy: string]> = [
  ['true', 'false'],
  ['1', '0'],
  ['yes', 'no'],
  ['on', 'off'],
];
const TRUE = new Set(BOOLEAN_SPELLINGS.map(([truthy]) => truthy));
const FALSE = new Set(BOOLEAN_SPELLINGS.map(([, falsy]) => falsy));
const BOOLEAN_ACCEPTED = `${BOOLEAN_SPELLINGS.slice(0, -1)
  .map((pair) => pair.join('/'))
  .join(', ')} or ${BOOLEAN_SPELLINGS.at(-1)?.join('/')} (any case)`;

const DURATION_UNITS: ReadonlyArray<[suffix: string, ms: number, unit: string]> = [
  ['_MS', 1, 'ms'],
  ['_SECONDS', 1000, 's'],
];
const SIZE_UNITS: ReadonlyArray<[suffix: string, bytes: number, unit: string]> = [
  ['_BYTES', 1, 'bytes'],
  ['_KB', 1024, 'KiB'],
  ['_MB', 1024 * 1024, 'MiB'],
];

interface Lookups {
  namesRead: Set<string>;
  reads: Map<string, SettingRead>;
  text: EnvReader['text'];
  /** The trimmed value (undefined when unset or blank), recording the read as `how`. */
  typed(name: string, how: SettingRead): string | undefined;
}

/** Every lookup of `env`, recorded: the names read and how each was read. */
function recordedLookups(env: Env): Lookups {
  const namesRead = new Set<string>();
  const reads = new Map<string, SettingRead>();
  // A typed read says more than a plain text one (`int` looks at the text first; some code checks
  // whether a variable is set before reading it typed), so a text read never replaces a typed one.
  const record = (name: string, how: SettingRead) => {
    if (how.kind === 'text' && reads.has(name)) return;
    reads.set(name, how);
  };
  const lookUp = (name: string): string | undefined => {
    namesRead.add(name);
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  function text(name: string): string | undefined;
  function text(name: string, fallback: string): string;
  function text(name: string, fallback?: string): string | undefined {
    record(name, { kind: 'text', ...(fallback === undefined ? {} : { fallback }) });
    return lookUp(name) ?? fallback;
  }
  const typed = (name: string, how: SettingRead): string | undefined => {
    const raw = lookUp(name);
    record(name, how);
    return raw;
  };
  return { namesRead, reads, text, typed };
}

export function createEnvReader(env: Env): EnvReader {
  const problems: string[] = [];
  const { namesRead, reads, text, typed } = recordedLookups(env);

  function int(name: string, { fallback, min, max }: IntOptions, unit = '', kind: SettingKind = 'integer'): number {
    const raw = typed(name, { kind, fallback: String(fallback), min, max, ...(unit ? { unit } : {}) });
    return raw === undefined ? fallback : (wholeNumber(name, raw, min, max, unit) ?? fallback);
  }

  function wholeNumber(name: string, raw: string, min: number, max: number, unit: string): number | undefined {
    // Number('') and Number(' 1e3 ') are numbers; a setting must be plain digits.
    const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}, got "${raw}"`);
      return undefined;
    }
    return value;
  }

  function scaled(name: string, options: IntOptions, units: ReadonlyArray<[string, number, string]>, kind: string): number {
    const match = units.find(([suffix]) => name.endsWith(suffix));
    // A programming error, not a configuration one: the variable's name must state its unit.
    if (!match) throw new Error(`${name} is read as a ${kind} but its name ends with none of ${units.map(([s]) => s).join(', ')}`);
    return int(name, options, match[2], kind === 'duration' ? 'duration' : 'size') * match[1];
  }

  return {
    production: text('NODE_ENV') !== undefined && env.NODE_ENV === 'production',
    problems,
    namesRead,
    reads,
    // Through the descriptor, not `env[name]`: listing what is set is not reading it.
    namesSet: Object.keys(env).filter((name) => Object.getOwnPropertyDescriptor(env, name)?.value !== undefined),
    text,
    int: (name, options) => int(name, options),
    optionalInt(name, { min, max }) {
      const raw = typed(name, { kind: 'integer', min, max });
      return raw === undefined ? undefined : wholeNumber(name, raw, min, max, '');
    },
    bool(name, fallback) {
      const raw = typed(name, { kind: 'boolean', fallback: String(fallback) })?.toLowerCase();
      if (raw === undefined) return fallback;
      if (TRUE.has(raw)) return true;
      if (FALSE.has(raw)) return false;
      problems.push(`${name} must be a boolean: ${BOOLEAN_ACCEPTED}, got "${env[name]}"`);
      return fallback;
    },
    durationMs: (name, options) => scaled(name, options, DURATION_UNITS, 'duration'),
    bytes: (name, options) => scaled(name, options, SIZE_UNITS, 'size'),
    fraction(name, options) {
      if (!name.endsWith('_PERCENT')) throw new Error(`${name} is read as a fraction but its name does not end with _PERCENT`);
      return int(name, options, '%', 'percent') / 100;
    },
    oneOf(name, values, fallback) {
      const raw = typed(name, { kind: 'choice', fallback, values });
      if (raw === undefined) return fallback;
      const value = values.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
      if (value !== undefined) return value;
      problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
      return fallback;
    },
    url(name, protocols = ['http:', 'https:']) {
      const raw = typed(name, { kind: 'url', values: protocols.map((p) => p.replace(':', '')) });
      if (raw === undefined) return undefined;
      if (!protocols.includes(URL.parse(raw)?.protocol ?? '')) {
        problems.push(`${name} must be an absolute ${protocols.map((p) => p.replace(':', '')).join('/')} URL`);
        return undefined;
      }
      return raw;
    },
    file(name) {
      const path = typed(name, { kind: 'file' });
      if (path === undefined) return undefined;
      try {
        accessSync(path, constants.R_OK);
      } catch {
        problems.push(`${name}: cannot read ${path}`);
      }
      return path;
    },
    problem(message) {
      problems.push(message);
    },
    attempt(load, fallback) {
      try {
        return load();
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        if (error instanceof ConfigError) problems.push(...error.problems);
        else problems.push(error.message);
        return fallback;
      }
    },
  };
}

/** Reads a whole section with `read`, then throws one ConfigError listing every problem found. */
export function parseEnv<T>(env: Env, read: (reader: EnvReader) => T): T {
  const reader = createEnvReader(env);
  const value = read(reader);
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return value;
}
