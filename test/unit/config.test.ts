// Gateway configuration as a whole: the upstream mode is decided once (fail closed in production),
// every problem is reported at once, and every variable the gateway reads is documented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { configNamesRead } from '../support/config-names.ts';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const FAIL_CLOSED = /NODE_ENV=production needs PHARMAONE_BASE_URL .* only with PHARMAONE_SANDBOX=true/;

describe('upstream mode', () => {
  it('is PharmaOne when PHARMAONE_BASE_URL is set (trailing slashes dropped), in any environment', () => {
    for (const NODE_ENV of ['production', 'development']) {
      expect(
        loadConfig({
          NODE_ENV,
          PHARMAONE_BASE_URL: 'https://manager.example/',
          PHARMAONE_SHOP_URL_TEMPLATE: 'https://{shopId}.shops.example',
        }).pharmaone,
      ).toEqual({ mode: 'pharmaone', baseUrl: 'https://manager.example', shopUrlTemplate: 'https://{shopId}.shops.example' });
    }
  });

  it('is the sandbox by default outside production (zero-config npm start)', () => {
    expect(loadConfig({}).pharmaone).toEqual({ mode: 'sandbox', sandboxPort: 4010 });
    expect(loadConfig({ SANDBOX_PORT: '0' }).pharmaone).toEqual({ mode: 'sandbox', sandboxPort: 0 });
  });

  it('fails closed in production: no PHARMAONE_BASE_URL is a problem, not demo data', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(FAIL_CLOSED)]);
  });

  it('starts the sandbox in production only when asked for explicitly', () => {
    expect(loadConfig({ NODE_ENV: 'production', PHARMAONE_SANDBOX: 'true' }).pharmaone).toEqual({ mode: 'sandbox', sandboxPort: 4010 });
  });

  it.each([
    [{ PHARMAONE_SANDBOX: 'true', PHARMAONE_BASE_URL: 'https://m.example' }, /both set/],
    [{ PHARMAONE_SANDBOX: 'false' }, /PHARMAONE_SANDBOX=false needs PHARMAONE_BASE_URL/],
    [{ PHARMAONE_SHOP_URL_TEMPLATE: 'https://{shopId}.example' }, /without PHARMAONE_BASE_URL/],
    [{ PHARMAONE_BASE_URL: 'https://m.example', PHARMAONE_SHOP_URL_TEMPLATE: 'https://shops.example' }, /containing \{shopId\}/],
    [{ PHARMAONE_BASE_URL: 'manager.example' }, /PHARMAONE_BASE_URL must be an absolute http\/https URL/],
  ])('refuses a contradictory or malformed upstream setting (%#)', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('caller mode', () => {
  it('is pass-through by default and bff only when complete', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'pass-through' });
    expect(problemsOf({ AUTH_MODE: 'bff' })).toEqual([
      'AUTH_MODE=bff needs BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY(_FILE).',
      'AUTH_MODE=bff needs the org keys: PHARMAONE_ORG_KEYS or PHARMAONE_ORG_KEYS_FILE.',
      'AUTH_MODE=bff needs BFF_JWT_ISSUER.',
      'AUTH_MODE=bff needs BFF_JWT_AUDIENCE.',
    ]);
  });
});

describe('METRICS_PORT', () => {
  it('is unset by default: metrics on the public port', () => {
    expect(loadConfig({}).operations.metricsListener).toBeUndefined();
  });

  it('gets its own listener on METRICS_HOST, else on HOST', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).operations.metricsListener).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '9464', HOST: '127.0.0.1' }).operations.metricsListener).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).operations.metricsListener).toEqual({
      port: 9464,
      host: '10.0.0.5',
    });
  });

  it.each([
    [{ METRICS_PORT: '4000' }, /METRICS_PORT must differ from PORT \(4000\)/],
    [{ METRICS_HOST: '127.0.0.1' }, /METRICS_HOST is set without METRICS_PORT/],
    [{ METRICS_PORT: 'nine' }, /METRICS_PORT must be a whole number/],
  ])('refuses a metrics listener that cannot work (%#)', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});

describe('every problem at once', () => {
  it('lists each bad value of a broken production configuration in one error', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      PORT: '80000',
      HOST: 'not a host',
      LOG_LEVEL: 'loud',
      UPSTREAM_RETRY_MAX_ATTEMPTS: '0',
      OPERATION_DEADLINE_MS: '15s',
      GRAPHIQL_ENABLED: 'sometimes',
      RESPONSE_CACHE_MB: '-1',
      PERSISTED_QUERIES_SAFELIST: '/nonexistent/manifest.json',
      OTEL_TRACES_EXPORTER: 'zipkin',
      AUTH_MODE: 'bff',
      BFF_JWKS_URL: 'https://id.example/jwks.json',
      BFF_JWT_ISSUER: 'https://id.example/',
      BFF_JWT_AUDIENCE: 'graph',
      PHARMAONE_ORG_KEYS_FILE: '/nonexistent/org-keys.json',
    });
    expect(problems).toEqual([
      'PORT must be a whole number from 0 to 65535, got "80000"',
      'HOST must be an IP address or a host name, got "not a host"',
      expect.stringMatching(FAIL_CLOSED),
      'PHARMAONE_ORG_KEYS_FILE (/nonexistent/org-keys.json) cannot be read.',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'PERSISTED_QUERIES_SAFELIST: cannot read /nonexistent/manifest.json',
      'RESPONSE_CACHE_MB must be a whole number from 0 to 65536 (MiB), got "-1"',
      'GRAPHIQL_ENABLED must be a boolean: true/false, 1/0, yes/no or on/off (any case), got "sometimes"',
      'UPSTREAM_RETRY_MAX_ATTEMPTS must be a whole number from 1 to 10, got "0"',
      'OPERATION_DEADLINE_MS must be a whole number from 100 to 300000 (ms), got "15s"',
      'OTEL_TRACES_EXPORTER must be one of otlp, console, none, got "zipkin"',
    ]);
  });

  it('reads a clean production configuration without a problem', () => {
    expect(problemsOf({ NODE_ENV: 'production', PHARMAONE_BASE_URL: 'https://manager.example', METRICS_PORT: '9464' })).toEqual([]);
  });
});

describe('documentation', () => {
  /** Every variable name loadConfig looks at, for a few configurations that take different branches. */
  const namesRead = () =>
    configNamesRead(
      {},
      { PHARMAONE_BASE_URL: 'https://m.example', METRICS_PORT: '9464', OTEL_TRACES_EXPORTER: 'console' },
      { AUTH_MODE: 'bff', PERSISTED_QUERIES_ENFORCE: 'true' },
    );

  it('documents every variable the gateway reads in the configuration reference (docs/configuration.md)', () => {
    const reference = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const undocumented = [...namesRead()].filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name) && !reference.includes(`| \`${name}\` |`));
    expect(undocumented).toEqual([]);
  });
});
