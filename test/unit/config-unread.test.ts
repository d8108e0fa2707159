// Variables set under the gateway's prefixes that it does not read: every typo of every known name
// is reported with that name, retired names with what replaced them, settings of another mode as
// such; other programs' variables are left alone, values never appear, and CONFIG_STRICT=true in
// production turns the reports into problems.
import { describe, expect, it } from 'vitest';
import { CONFIG_BRANCHES, ConfigError, knownSettings, loadCheckedConfig, readGatewayConfig } from '../../src/config.ts';
import { createEnvReader } from '../../src/config/env.ts';
import type { Env } from '../../src/config/env.ts';
import { closestName, editDistance, findUnreadSettings, ownedPrefixes } from '../../src/config/unread-settings.ts';
import { configNamesRead } from '../support/config-names.ts';

const SANDBOX = { PHARMAONE_SANDBOX: 'true' };
const PHARMAONE = { PHARMAONE_BASE_URL: 'https://manager.example' };

/** What start-up reports for `env`, problems in the values aside. */
function unread(env: Env) {
  const read = createEnvReader(env);
  readGatewayConfig(read);
  return findUnreadSettings(read.namesSet, read.namesRead, knownSettings());
}

const known = knownSettings();
const prefixes = ownedPrefixes(known.names.keys());
const ownedNames = [...known.names.keys()].filter((name) => prefixes.some((prefix) => name.startsWith(prefix)));

describe('the names known', () => {
  it('are every name the configuration looks at, however it looks (no read bypasses the reader)', () => {
    // Every branch the known names are collected from (the tracing branch reads OTEL_SDK_DISABLED).
    const lookedAt = configNamesRead(
      SANDBOX,
      PHARMAONE,
      { ...PHARMAONE, AUTH_MODE: 'bff' },
      ...CONFIG_BRANCHES.map(({ env }) => ({ ...env })),
    );
    expect([...lookedAt].filter((name) => !known.names.has(name))).toEqual([]);
    expect([...known.names.keys()].filter((name) => !lookedAt.has(name))).toEqual([]);
  });

  it("give the gateway's prefixes, without the runtime's and OpenTelemetry's", () => {
    expect(prefixes).toEqual(expect.arrayContaining(['PHARMAONE_', 'UPSTREAM_', 'GRAPHQL_', 'ORDER_', 'REDIS_', 'BFF_', 'SANDBOX_']));
    expect(prefixes).toEqual(expect.arrayContaining(['TOKEN_', 'IDEMPOTENCY_', 'CORS_', 'SHUTDOWN_', 'METRICS_', 'CONFIG_']));
    expect(prefixes).not.toContain('NODE_');
    expect(prefixes).not.toContain('OTEL_');
  });

  it.each(ownedNames)('%s, set in a configuration that reads it, is not reported', (name) => {
    const when = known.names.get(name);
    const base = when === 'AUTH_MODE=bff' ? { ...PHARMAONE, AUTH_MODE: 'bff' } : when === 'PHARMAONE_SANDBOX=true' ? SANDBOX : PHARMAONE;
    expect(unread({ ...base, [name]: '1' })).toEqual([]);
  });
});

describe('a misspelt name', () => {
  // Every kind of slip, applied to every known name after its prefix: a lost or doubled letter,
  // two letters swapped, a lost underscore, the words after the prefix in another order.
  const after = (name: string) => name.indexOf('_') + 2;
  const slips: Array<[string, (name: string, at: number) => string]> = [
    ['a letter dropped', (name, at) => name.slice(0, at) + name.slice(at + 1)],
    ['a letter doubled', (name, at) => name.slice(0, at + 1) + name.slice(at)],
    ['neighbours swapped', (name, at) => name.slice(0, at) + (name[at + 1] ?? '') + (name[at] ?? '') + name.slice(at + 2)],
    ['the last underscore dropped', (name) => name.replace(/_([^_]*)$/, '$1')],
    [
      'the words after the prefix reversed',
      (name) => name.replace(/_(.*)$/, (_all, rest: string) => `_${rest.split('_').reverse().join('_')}`),
    ],
  ];
  // A slip that makes no change (one word reversed) or another known name is no typo.
  const cases = ownedNames
    .flatMap((name) => slips.map(([slip, apply]) => [name, slip, apply(name, after(name))] as const))
    .filter(([, , typo]) => !known.names.has(typo) && prefixes.some((prefix) => typo.startsWith(prefix)));

  it('are hundreds of typos', () => {
    expect(cases.length).toBeGreaterThan(ownedNames.length * 3);
  });

  it.each(cases)('%s with %s (%s) is reported with the closest known name', (name, _slip, typo) => {
    const [report, ...more] = unread({ ...PHARMAONE, [typo]: 'x' });
    expect(more).toEqual([]);
    expect(report?.name).toBe(typo);
    const suggestion = report?.suggestion ?? '';
    // The intended name, or one at least as close (e.g. TOKEN_CACHE_SIZE for a typo of TOKEN_CACHE_MAX_BYTES).
    expect(suggestion === name || editDistance(typo, suggestion) <= editDistance(typo, name)).toBe(true);
    expect(report?.message).toBe(`${typo} is set but the gateway does not read it: did you mean ${suggestion}?`);
  });

  it('names PHARMAONE_BASE_URL for PHARMAONE_BASEURL, and never the value', () => {
    expect(unread({ ...SANDBOX, PHARMAONE_BASEURL: 'https://user:s3cret@manager.example' })).toEqual([
      {
        name: 'PHARMAONE_BASEURL',
        suggestion: 'PHARMAONE_BASE_URL',
        message: 'PHARMAONE_BASEURL is set but the gateway does not read it: did you mean PHARMAONE_BASE_URL?',
      },
    ]);
  });

  it('suggests nothing when no known name is close', () => {
    expect(unread({ ...PHARMAONE, SANDBOX_LATENCY_MS: '5' })).toEqual([
      { name: 'SANDBOX_LATENCY_MS', message: 'SANDBOX_LATENCY_MS is set but the gateway does not read it (no setting has a similar name)' },
    ]);
  });
});

describe('a retired name', () => {
  it('is reported with what replaced it', () => {
    expect(unread({ ...PHARMAONE, UPSTREAM_ORG_QUEUE: '50' })).toEqual([
      {
        name: 'UPSTREAM_ORG_QUEUE',
        suggestion: 'UPSTREAM_ORG_MAX_WAIT_MS',
        message:
          'UPSTREAM_ORG_QUEUE is no longer read: UPSTREAM_ORG_MAX_WAIT_MS replaced it (calls wait by predicted wait, not by queue length)',
      },
    ]);
  });

  it.each([...known.retired])('%s is read no more and its replacement is', (name, { replacedBy }) => {
    expect(known.names.has(name)).toBe(false);
    expect(known.names.has(replacedBy)).toBe(true);
  });
});

describe('a setting of another mode', () => {
  it.each([
    [PHARMAONE, 'BFF_JWKS_URL', 'it applies only with AUTH_MODE=bff'],
    [SANDBOX, 'PHARMAONE_ORG_KEYS', 'it applies only with AUTH_MODE=bff'],
    [PHARMAONE, 'SANDBOX_PORT', 'it applies only with PHARMAONE_SANDBOX=true'],
  ])('is reported as unread in this configuration (%j, %s)', (base, name, why) => {
    expect(unread({ ...base, [name]: 'x' }).map((report) => report.message)).toEqual([
      `${name} is set but not read in this configuration: ${why}`,
    ]);
  });
});

describe("other programs' variables", () => {
  it.each([
    'PATH',
    'HOME',
    'NODE_OPTIONS',
    'NODE_EXTRA_CA_CERTS',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_RESOURCE_ATTRIBUTES',
    'HTTP_PROXY',
    'http_proxy',
    'npm_config_cache',
    'REDIS_SERVICE_HOST',
    'REDIS_SERVICE_PORT_REDIS',
    'PHARMAONE_GRAPH_PORT_4000_TCP_ADDR',
  ])('%s is left alone', (name) => {
    expect(unread({ ...PHARMAONE, [name]: 'x' })).toEqual([]);
  });

  it("leaves a Kubernetes service's bare <SERVICE>_PORT alone, and only beside its <SERVICE>_SERVICE_HOST", () => {
    expect(unread({ ...PHARMAONE, PHARMAONE_GRAPH_PORT: 'tcp://10.0.0.1:4000', PHARMAONE_GRAPH_SERVICE_HOST: '10.0.0.1' })).toEqual([]);
    expect(unread({ ...PHARMAONE, PHARMAONE_GRAPH_PORT: '4000' }).map((report) => report.name)).toEqual(['PHARMAONE_GRAPH_PORT']);
  });
});

describe('CONFIG_STRICT', () => {
  const production = { NODE_ENV: 'production', ...PHARMAONE, PHARMAONE_BASEURL: 'x', UPSTREAM_ORG_QUEUE: '5' };

  it('in production turns every report into a problem, listed with the rest', () => {
    let error: unknown;
    try {
      loadCheckedConfig({ ...production, CONFIG_STRICT: 'true', PORT: 'http' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be a whole number from 0 to 65535, got "http"',
      'PHARMAONE_BASEURL is set but the gateway does not read it: did you mean PHARMAONE_BASE_URL? (CONFIG_STRICT=true)',
      'UPSTREAM_ORG_QUEUE is no longer read: UPSTREAM_ORG_MAX_WAIT_MS replaced it (calls wait by predicted wait, not by queue length) (CONFIG_STRICT=true)',
    ]);
  });

  it.each([
    ['production without it', production],
    ['production with CONFIG_STRICT=false', { ...production, CONFIG_STRICT: 'false' }],
    ['development with it', { ...production, NODE_ENV: 'development', CONFIG_STRICT: 'true' }],
  ])('%s: the start goes on and the reports are warnings', (_case, env) => {
    expect(loadCheckedConfig(env).unread.map((report) => report.name)).toEqual(['PHARMAONE_BASEURL', 'UPSTREAM_ORG_QUEUE']);
  });
});

describe('closestName and editDistance', () => {
  it.each([
    ['REDIS_ULR', 1],
    ['REDIS_UR', 1],
    ['REDISURL', 1],
    ['REDIS_URL', 0],
    ['RDIS_UR', 2],
  ])('%s is %i edits from REDIS_URL (a swap is one)', (typo, distance) => {
    expect(editDistance(typo, 'REDIS_URL')).toBe(distance);
  });

  it('prefers the same words in another order, then the nearest, and gives up past a quarter of the length', () => {
    expect(closestName('GRAPHQL_DEPTH_MAX', known.names.keys())).toBe('GRAPHQL_MAX_DEPTH');
    expect(closestName('REDIS_ULR', known.names.keys())).toBe('REDIS_URL');
    expect(closestName('PORTS', ['PORT', 'HOST'])).toBe('PORT');
    expect(closestName('CORS_EVERYTHING', known.names.keys())).toBeUndefined();
  });
});
