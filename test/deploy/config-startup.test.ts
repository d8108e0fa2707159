// The launcher (`node src/main.ts`, the container's command) with a bad configuration: it refuses
// to start, prints every problem at once, exits 78 (EX_CONFIG), and never falls back to demo data.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the launcher with exactly `env` (plus PATH) until it exits or prints its start-up line. */
function launch(env: Record<string, string>) {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves once stdout holds `text`, or the process has exited: an event, however slow the start. */
  const printed = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!stdout.includes(text)) return;
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      void exit.then(() => resolve());
      check();
    });
  return { child, exit, printed, stdout: () => stdout, stderr: () => stderr };
}

describe('a misconfigured production start', () => {
  it('refuses to start without PHARMAONE_BASE_URL, says why, and serves no demo data', async () => {
    const run = launch({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', SANDBOX_PORT: '0' });

    expect(await run.exit).toBe(78);
    expect(run.stderr()).toContain('pharmaone-graph refuses to start. Invalid configuration (1 problem):');
    expect(run.stderr()).toContain('NODE_ENV=production needs PHARMAONE_BASE_URL');
    expect(run.stderr()).toContain('PHARMAONE_SANDBOX=true');
    expect(run.stdout()).not.toMatch(/sandbox|sandbox-org1-key|gateway on/i);
  });

  it('prints every bad value at once', async () => {
    const run = launch({
      NODE_ENV: 'production',
      PHARMAONE_BASE_URL: 'not-a-url',
      PORT: 'http',
      SHUTDOWN_GRACE_MS: '10s',
      AUTH_MODE: 'bff',
      PHARMAONE_ORG_KEYS_FILE: '/nonexistent/org-keys.json',
    });

    expect(await run.exit).toBe(78);
    const problems = run
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([
      '  - PORT must be a whole number from 0 to 65535, got "http"',
      '  - PHARMAONE_BASE_URL must be an absolute http/https URL',
      '  - AUTH_MODE=bff needs BFF_JWKS_URL or BFF_JWT_PUBLIC_KEY(_FILE).',
      '  - PHARMAONE_ORG_KEYS_FILE (/nonexistent/org-keys.json) cannot be read.',
      '  - AUTH_MODE=bff needs BFF_JWT_ISSUER.',
      '  - AUTH_MODE=bff needs BFF_JWT_AUDIENCE.',
      '  - SHUTDOWN_GRACE_MS must be a whole number from 0 to 600000 (ms), got "10s"',
    ]);
    expect(run.stderr()).toContain('Invalid configuration (7 problems)');
  });
});

describe('a variable the gateway does not read', () => {
  const typo = { PHARMAONE_BASEURL: 'https://user:s3cret@manager.example', UPSTREAM_ORG_QUEUE: '50' };

  it('is a warning at start naming the closest known name, never the value, and the gateway starts', async () => {
    const run = launch({ ...typo, NODE_ENV: 'development', PHARMAONE_SANDBOX: 'true', PORT: '0', HOST: '127.0.0.1', SANDBOX_PORT: '0' });
    await run.printed('gateway on');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);

    const warnings = run
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; variable?: string; suggestion?: string; msg: string })
      .filter((entry) => entry.variable !== undefined);
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        variable: 'PHARMAONE_BASEURL',
        suggestion: 'PHARMAONE_BASE_URL',
        msg: 'PHARMAONE_BASEURL is set but the gateway does not read it: did you mean PHARMAONE_BASE_URL?',
      }),
      expect.objectContaining({ level: 40, variable: 'UPSTREAM_ORG_QUEUE', suggestion: 'UPSTREAM_ORG_MAX_WAIT_MS' }),
    ]);
    expect(run.stdout() + run.stderr()).not.toContain('s3cret');
  });

  it('refuses the start in production with CONFIG_STRICT=true, listing each one', async () => {
    const run = launch({ ...typo, NODE_ENV: 'production', CONFIG_STRICT: 'true', PHARMAONE_BASE_URL: 'http://127.0.0.1:9', PORT: '0' });

    expect(await run.exit).toBe(78);
    expect(run.stderr().split('\n')).toEqual([
      'pharmaone-graph refuses to start. Invalid configuration (2 problems):',
      '  - PHARMAONE_BASEURL is set but the gateway does not read it: did you mean PHARMAONE_BASE_URL? (CONFIG_STRICT=true)',
      '  - UPSTREAM_ORG_QUEUE is no longer read: UPSTREAM_ORG_MAX_WAIT_MS replaced it (calls wait by predicted wait, not by queue length) (CONFIG_STRICT=true)',
      '',
    ]);
    expect(run.stdout()).not.toContain('gateway on');
  });
});

describe('a start that cannot listen', () => {
  it('exits 1 with one clear line when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const run = launch({ PHARMAONE_BASE_URL: 'http://127.0.0.1:9', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });

      expect(await run.exit).toBe(1);
      expect(run.stderr().trim()).toBe(`pharmaone-graph failed to start: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
    } finally {
      taken.close();
    }
  });
});

describe('the start-up line', () => {
  it('prints the address the gateway really listens on, and where to reach it from this host', async () => {
    // Nothing is sent to this base URL: start-up makes no upstream call.
    const run = launch({
      NODE_ENV: 'production',
      PHARMAONE_BASE_URL: 'http://127.0.0.1:9',
      PORT: '0',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'silent',
    });
    await run.printed('gateway on');
    run.child.kill('SIGTERM');

    expect(run.stdout()).toMatch(
      /pharmaone-graph gateway on http:\/\/0\.0\.0\.0:(\d+)\/graphql \(from this host: http:\/\/127\.0\.0\.1:\1\/graphql\)/,
    );
    expect(await run.exit).toBe(0);
  });
});
