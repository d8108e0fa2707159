// The one environment parser: booleans, integers, durations, sizes and fractions are read the same
// way for every variable, units come from the name, and every problem is collected, not thrown.
import { globSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, createEnvReader, parseEnv } from '../../src/config/env.ts';

describe('bool', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['OFF', false],
  ])('reads %j as %s', (raw, expected) => {
    const read = createEnvReader({ FLAG: raw });
    expect(read.bool('FLAG', !expected)).toBe(expected);
    expect(read.problems).toEqual([]);
  });

  it.each([[undefined], [''], ['   ']])('falls back when the variable is %j', (raw) => {
    const read = createEnvReader({ FLAG: raw });
    expect(read.bool('FLAG', true)).toBe(true);
    expect(read.problems).toEqual([]);
  });

  it.each([['maybe'], ['2'], ['truee']])('records %j as a problem and falls back', (raw) => {
    const read = createEnvReader({ FLAG: raw });
    expect(read.bool('FLAG', false)).toBe(false);
    expect(read.problems).toEqual([`FLAG must be a boolean: true/false, 1/0, yes/no or on/off (any case), got "${raw}"`]);
  });

  it('accepts every spelling its problem message lists, in any case, with the meaning of its side of the pair', () => {
    const read = createEnvReader({ FLAG: 'maybe' });
    read.bool('FLAG', false);
    const listed = /boolean: (.*) \(any case\)/.exec(read.problems[0] ?? '')?.[1] ?? '';
    const pairs = listed.split(/, | or /).map((pair) => pair.split('/'));
    expect(pairs).toEqual([
      ['true', 'false'],
      ['1', '0'],
      ['yes', 'no'],
      ['on', 'off'],
    ]);
    for (const [truthy = '', falsy = ''] of pairs) {
      for (const spell of [(word: string) => word, (word: string) => word.toUpperCase()]) {
        const each = createEnvReader({ T: spell(truthy), F: spell(falsy) });
        expect([each.bool('T', false), each.bool('F', true), each.problems]).toEqual([true, false, []]);
      }
    }
  });

  it('is documented as the parser reads it (README or docs/, wherever the configuration page lives)', () => {
    const root = new URL('../../', import.meta.url);
    const pages = ['README.md', ...globSync('docs/**/*.md', { cwd: root })];
    const text = pages
      .map((page) => readFileSync(new URL(page, root), 'utf8'))
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(text).toContain('booleans are `true/1/yes/on` or `false/0/no/off`');
  });
});

describe('int', () => {
  const bounds = { fallback: 7, min: 1, max: 100 };

  it.each([['1e2'], ['0x10'], ['1.5'], ['12abc'], ['0'], ['101'], ['-3'], ['99999999999999999999']])(
    'records %j as a problem: plain digits within the bounds only',
    (raw) => {
      const read = createEnvReader({ COUNT: raw });
      expect(read.int('COUNT', bounds)).toBe(7);
      expect(read.problems).toEqual([`COUNT must be a whole number from 1 to 100, got "${raw}"`]);
    },
  );

  it('reads every whole number within the bounds as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (value) => {
        const read = createEnvReader({ COUNT: ` ${value} ` });
        return read.int('COUNT', bounds) === value && read.problems.length === 0;
      }),
    );
  });
});

describe('units come from the name', () => {
  it('reads *_MS as milliseconds and *_SECONDS as seconds, bounds in that unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3600 }), (value) => {
        const read = createEnvReader({ A_MS: String(value), B_SECONDS: String(value) });
        const bounds = { fallback: 0, min: 0, max: 3600 };
        return read.durationMs('A_MS', bounds) === value && read.durationMs('B_SECONDS', bounds) === value * 1000;
      }),
    );
  });

  it('reads *_BYTES, *_KB and *_MB as sizes in bytes', () => {
    const read = createEnvReader({ A_BYTES: '3', B_KB: '3', C_MB: '3' });
    const bounds = { fallback: 0, min: 0, max: 10 };
    expect([read.bytes('A_BYTES', bounds), read.bytes('B_KB', bounds), read.bytes('C_MB', bounds)]).toEqual([3, 3 * 1024, 3 * 1024 * 1024]);
  });

  it('reads *_PERCENT as a fraction', () => {
    expect(createEnvReader({ RATE_PERCENT: '25' }).fraction('RATE_PERCENT', { fallback: 0, min: 0, max: 100 })).toBe(0.25);
  });

  it('names the unit in the problem', () => {
    const read = createEnvReader({ WAIT_SECONDS: '-1' });
    read.durationMs('WAIT_SECONDS', { fallback: 5, min: 0, max: 60 });
    expect(read.problems).toEqual(['WAIT_SECONDS must be a whole number from 0 to 60 (s), got "-1"']);
  });

  it.each([
    ['durationMs', 'TIMEOUT'],
    ['durationMs', 'TIMEOUT_MB'],
    ['bytes', 'CACHE_SIZE'],
    ['bytes', 'CACHE_MS'],
    ['fraction', 'RATE'],
  ] as const)('refuses to read %s from %s, whose name states no such unit (a programming error)', (kind, name) => {
    const read = createEnvReader({ [name]: '1' });
    expect(() => read[kind](name, { fallback: 0, min: 0, max: 10 })).toThrow(name);
  });
});

describe('url, file, oneOf', () => {
  it('refuses what is not an absolute URL of an allowed protocol and never echoes the value', () => {
    const read = createEnvReader({ A: 'ftp://user:s3cret@x', B: 'not a url', C: 'https://ok.example/' });
    expect(read.url('A')).toBeUndefined();
    expect(read.url('B')).toBeUndefined();
    expect(read.url('C')).toBe('https://ok.example/');
    expect(read.problems).toEqual(['A must be an absolute http/https URL', 'B must be an absolute http/https URL']);
    expect(read.problems.join('\n')).not.toContain('s3cret');
  });

  it('checks that a file is readable', () => {
    const read = createEnvReader({ F: '/nonexistent/keys.json', G: new URL(import.meta.url).pathname });
    read.file('F');
    read.file('G');
    expect(read.problems).toEqual(['F: cannot read /nonexistent/keys.json']);
  });

  it('matches a choice in any case and returns the canonical spelling', () => {
    const read = createEnvReader({ MODE: 'BFF', OTHER: 'x' });
    expect(read.oneOf('MODE', ['pass-through', 'bff'], 'pass-through')).toBe('bff');
    expect(read.oneOf('OTHER', ['a', 'b'], 'a')).toBe('a');
    expect(read.problems).toEqual(['OTHER must be one of a, b, got "x"']);
  });
});

describe('parseEnv', () => {
  it('throws one ConfigError listing every problem, in the order found', () => {
    const env = { A: 'x', B_MS: '-1', C: 'maybe' };
    let error: unknown;
    try {
      parseEnv(env, (read) => [
        read.int('A', { fallback: 0, min: 0, max: 1 }),
        read.durationMs('B_MS', { fallback: 0, min: 0, max: 1 }),
        read.bool('C', false),
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'A must be a whole number from 0 to 1, got "x"',
      'B_MS must be a whole number from 0 to 1 (ms), got "-1"',
      'C must be a boolean: true/false, 1/0, yes/no or on/off (any case), got "maybe"',
    ]);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration \(3 problems\):\n {2}- A must/);
  });

  it('turns a thrown loader error into a problem (attempt)', () => {
    expect(() =>
      parseEnv({}, (read) =>
        read.attempt(() => {
          throw new Error('keys are not JSON');
        }, null),
      ),
    ).toThrow('keys are not JSON');
  });
});

describe('one parser for the whole gateway', () => {
  it('reads no single variable from process.env outside src/config/ (handing the whole environment to a parser is fine)', () => {
    const root = new URL('../../src/', import.meta.url);
    const offenders = globSync('**/*.ts', { cwd: root })
      .filter((file) => !file.startsWith('config/') && !file.startsWith('generated/'))
      .flatMap((file) =>
        readFileSync(new URL(file, root), 'utf8')
          .split('\n')
          .map((line, index) => ({ where: `src/${file}:${index + 1}`, line }))
          .filter(({ line }) => /process\.env\s*(\.|\[|\?\.)/.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
