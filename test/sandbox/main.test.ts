import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run sandbox (src/sandbox/main.ts)', () => {
  it('prints the base URL, the shop URL template and the demo keys, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['src/sandbox/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_FAULTS: '[{"route": "/api/v2/public/orgs/{org}/shops", "errorRate": 1}]' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Control:')) resolve();
      });
      void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
    });

    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain(`PHARMAONE_SHOP_URL_TEMPLATE=${url}/shops/{shopId}`);
    expect(stdout).toMatch(/sandbox-org1-key\s+org1, every scope/);
    expect(stdout).toMatch(/sandbox-org1-readonly\s+org1, read scopes only/);
    expect(stdout).toMatch(/sandbox-org2-key\s+org2, every scope/);

    const token = await fetch(`${url}/api/v2/public/orgs/org1/auth/token`, { method: 'POST', headers: { apikey: 'sandbox-org1-key' } });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    // SANDBOX_FAULTS is honoured.
    const shops = await fetch(`${url}/api/v2/public/orgs/org1/shops`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(shops.status).toBe(503);

    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
  });
});
