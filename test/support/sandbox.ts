// One real sandbox per test file, on an ephemeral port:
//   const ctx = sandboxFixture();
//   it('…', async () => { const res = await ctx.client.get(…); ctx.sandbox.calls.list(); });
// The client validates every response against the OpenAPI contract (sandbox-client.ts).
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/server.ts';
import { createSandboxClient, type SandboxClient } from './sandbox-client.ts';

export * from './sandbox-client.ts';

export interface SandboxFixture {
  readonly sandbox: SandboxHandle;
  readonly client: SandboxClient;
}

export function sandboxFixture(options: SandboxOptions = {}): SandboxFixture {
  let sandbox: SandboxHandle | undefined;
  const client = createSandboxClient(() => {
    if (!sandbox) throw new Error('the sandbox is not started yet (use it inside tests or hooks)');
    return sandbox.url;
  });
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, ...options });
  });
  afterAll(async () => {
    await client.close();
    await sandbox?.close();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('the sandbox is not started yet (use it inside tests or hooks)');
      return sandbox;
    },
    client,
  };
}

export interface SignedInSandbox extends SandboxFixture {
  /** An org1 token from §1, taken once before the file's tests. */
  readonly token: string;
  /** Takes a fresh token (after a test made the sandbox forget the old one). */
  renewToken(): Promise<void>;
}

/**
 * The common setup of the sandbox's own tests: a sandbox, an org1 token, and (unless `reset` is
 * false) the seed restored before every test so no test sees another's writes.
 */
export function signedInSandbox(options: { reset?: boolean } = {}): SignedInSandbox {
  const fixture = sandboxFixture();
  let token: string | undefined;
  const renewToken = async () => {
    token = await fixture.client.token();
  };
  beforeAll(renewToken);
  if (options.reset !== false) beforeEach(() => fixture.sandbox.reset());
  return {
    get sandbox() {
      return fixture.sandbox;
    },
    client: fixture.client,
    get token() {
      if (token === undefined) throw new Error('no sandbox token yet (use it inside tests or hooks)');
      return token;
    },
    renewToken,
  };
}

/** Decodes a JWT's payload without verifying it. */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
