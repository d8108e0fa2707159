// The request context is built once, complete, and never changed: its PharmaOne client and loaders
// are those of the request scope it was built with (taken on first use), and nothing can swap them
// afterwards, as a subscription event once did. An Apollo-style clone (one per operation of a batch)
// takes a request scope of its own. Pure unit: the request scopes are plain objects.
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.ts';
import { buildGatewayContext } from '../../src/graphql/context.ts';
import type { RequestScope } from '../../src/loaders/request-scope.ts';
import type { Loaders } from '../../src/loaders/create-loaders.ts';
import type { PharmaOneClient } from '../../src/upstream/pharmaone-client.ts';
import type { IdempotencyCoordinator } from '../../src/writes/keyed-write.ts';

const caller: Caller = {
  mode: 'PASS_THROUGH',
  id: 'caller',
  authorizationScopeId: 'scope-of-caller',
  credentialFor: () => 'key',
  grantedOrgs: null,
  apiKey: 'key',
};

function aRequestScope(name: string): RequestScope {
  return {
    pharmaone: { name } as unknown as PharmaOneClient,
    loaders: { name } as unknown as Loaders,
    upstreamTrace: [],
    deadline: { signal: new AbortController().signal, expiresAt: 0 },
  };
}

function contextOver(scopes: RequestScope[]) {
  const taken: RequestScope[] = [];
  const context = buildGatewayContext(caller, {
    upstreamTrace: [],
    requestScope: () => {
      const scope = scopes[taken.length] ?? aRequestScope('spare');
      taken.push(scope);
      return scope;
    },
    idempotency: {} as IdempotencyCoordinator,
  });
  return { context, taken };
}

describe('the request context', () => {
  it('reads through the request scope it was built with, taken once and only when first used', () => {
    const scope = aRequestScope('first');
    const { context, taken } = contextOver([scope]);
    expect(taken).toEqual([]);
    expect(context.loaders).toBe(scope.loaders);
    expect(context.pharmaone).toBe(scope.pharmaone);
    expect(taken).toEqual([scope]);
    expect([context.caller, context.callerId, context.authorizationScopeId]).toEqual([caller, 'caller', 'scope-of-caller']);
  });

  it.each(['pharmaone', 'loaders'] as const)('refuses to have its %s replaced', (field) => {
    const scope = aRequestScope('first');
    const { context } = contextOver([scope]);
    expect(() => Object.assign(context, { [field]: aRequestScope('other')[field] })).toThrow(TypeError);
    expect(context[field]).toBe(scope[field]);
  });

  // Issue 22: the operations of a batch share the request's scope (one budget, one set of loaders,
  // one trace), and Apollo runs each on a shallow clone of the context.
  it('gives every Apollo-style clone the one request scope, built once', () => {
    const [first, second] = [aRequestScope('first'), aRequestScope('second')];
    const { context, taken } = contextOver([first, second]);
    const clone = Object.assign(Object.create(Object.getPrototypeOf(context)), context) as typeof context;
    expect(clone.pharmaone).toBe(first.pharmaone);
    expect(context.pharmaone).toBe(first.pharmaone);
    expect(context.loaders).toBe(clone.loaders);
    expect(clone.upstreamTrace).toBe(context.upstreamTrace);
    expect(taken).toEqual([first]);
  });
});
