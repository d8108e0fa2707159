// The configuration reference (docs/configuration.md) is generated from what the code reads and the
// descriptions in src/config/descriptions/: every variable read has words, no words describe a
// variable nothing reads, and a default written in words names the default the code really uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingDescriptions } from '../../src/config/descriptions.ts';
import type { SettingDescription } from '../../src/config/descriptions.ts';
import { createEnvReader } from '../../src/config/env.ts';
import {
  collectSettingFacts,
  configurationDocPath,
  descriptionProblems,
  renderConfigurationDoc,
} from '../../scripts/codegen/configuration-doc.ts';

const root = new URL('../../', import.meta.url);
const facts = collectSettingFacts();
const descriptions = settingDescriptions();

describe('the configuration descriptions', () => {
  it('describe every variable read, and only those, each once', () => {
    expect(descriptionProblems(facts, descriptions)).toEqual([]);
    expect(descriptions.map((d) => d.name).sort()).toEqual([...facts.keys()].sort());
  });

  it('include the settings read only in one mode or only by the sandbox', () => {
    for (const name of ['BFF_JWT_ISSUER', 'OTEL_SDK_DISABLED', 'SANDBOX_PORT', 'SANDBOX_FAULTS', 'METRICS_HOST'])
      expect(facts.has(name)).toBe(true);
  });

  const without = (name: string) => descriptions.filter((d) => d.name !== name);
  const replaced = (name: string, change: Partial<SettingDescription>) =>
    descriptions.map((d) => (d.name === name ? { ...d, ...change } : d));
  it.each([
    ['a read variable without words', without('UPSTREAM_CALL_BUDGET'), 'UPSTREAM_CALL_BUDGET is read but has no description'],
    [
      'words for a variable nothing reads',
      [...descriptions, { name: 'UPSTREAM_ORG_QUEUE', section: 'resilience' as const, meaning: 'retired' }],
      'UPSTREAM_ORG_QUEUE is described but nothing reads it',
    ],
    [
      'a mode-dependent default without words',
      replaced('GRAPHIQL_ENABLED', { defaultText: undefined }),
      "GRAPHIQL_ENABLED's default depends on the mode",
    ],
    ["a default in words that is not the code's", replaced('PORT', { defaultText: '`8080`' }), "PORT's default in words"],
    [
      'a mode default in words missing one mode',
      replaced('GRAPHQL_INTROSPECTION', { defaultText: '`true`' }),
      "GRAPHQL_INTROSPECTION's default in words",
    ],
    [
      'a default named as another variable with another default',
      replaced('UPSTREAM_ORG_MAX_WAIT_MS', { defaultText: '`UPSTREAM_BREAKER_OPEN_MS`' }),
      "UPSTREAM_ORG_MAX_WAIT_MS's default",
    ],
  ])('finds %s', (_, changed, problem) => {
    const problems = descriptionProblems(facts, changed);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('sees a new read at once: a variable the reader records is a fact with its kind and default', () => {
    const read = createEnvReader({});
    read.durationMs('SOME_WAIT_MS', { fallback: 250, min: 0, max: 1000 });
    read.optionalInt('SOME_PORT', { min: 0, max: 65_535 });
    read.text('SOME_NAME', 'x');
    expect(Object.fromEntries(read.reads)).toMatchObject({
      SOME_WAIT_MS: { kind: 'duration', fallback: '250', min: 0, max: 1000, unit: 'ms' },
      SOME_PORT: { kind: 'integer', min: 0, max: 65_535 },
      SOME_NAME: { kind: 'text', fallback: 'x' },
    });
    expect(read.reads.get('SOME_PORT')?.fallback).toBeUndefined();
  });
});

describe('docs/configuration.md', () => {
  const committed = readFileSync(new URL(configurationDocPath, root), 'utf8');

  it('is what the code generates (npm run codegen)', () => {
    expect(committed).toBe(renderConfigurationDoc().content);
  });

  it('lists every variable with the default the code uses', () => {
    for (const [name, fact] of facts) {
      const row = committed.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const description = descriptions.find((d) => d.name === name);
      const fallback = fact.reads.find((read) => read.fallback !== undefined)?.fallback;
      if (description?.defaultText === undefined && fallback !== undefined) expect(row).toContain(`| \`${fallback}\` |`);
    }
  });
});
