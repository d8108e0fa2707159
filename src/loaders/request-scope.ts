// The one builder of a request scope: what an operation reads PharmaOne through — a client bound to
// one set of credentials, with the operation's call budget, deadline and trace, and fresh
// DataLoaders over it. POST /graphql (src/graphql/context.ts), a subscription over WebSocket or SSE
// and every event of the live feed (src/feed/) get theirs here, so a budget, a deadline or a
// credential rule added here holds for all of them. (Not the request id: that is
// src/logging/request-scope.ts.)
import { createLoaders } from './create-loaders.ts';
import type { LoaderOptions, Loaders } from './create-loaders.ts';
import { createPharmaOneClient } from '../upstream/pharmaone-client.ts';
import type { PharmaOneClient, PharmaOneClientDeps, UpstreamCallRecord, UpstreamCredentials } from '../upstream/pharmaone-client.ts';
import type { Deadline } from '../upstream/resilience/deadline.ts';

export interface RequestScope {
  readonly pharmaone: PharmaOneClient;
  readonly loaders: Loaders;
  /** Every upstream call made through this scope, in order (for extensions.upstream and logs). */
  readonly upstreamTrace: UpstreamCallRecord[];
  readonly deadline: Deadline;
}

export interface RequestScopeParts {
  client: PharmaOneClientDeps;
  /** Whose PharmaOne credentials the client presents: the caller's, or a feed scope's (its one org). */
  credentials: UpstreamCredentials;
  upstreamTrace: UpstreamCallRecord[];
  deadline: Deadline;
  /** Most PharmaOne calls the scope may make (the client stops there). */
  maxCalls: number;
  loaders: LoaderOptions;
}

export function createRequestScope(parts: RequestScopeParts): RequestScope {
  return new LazyRequestScope(parts);
}

/**
 * The client and loaders are built on first use: an operation that reaches no PharmaOne field
 * (`{ __typename }`, a write refused by its input rules) builds neither. A class, so that the
 * accessors live on the prototype and each scope is one small object.
 */
class LazyRequestScope implements RequestScope {
  readonly upstreamTrace: UpstreamCallRecord[];
  readonly deadline: Deadline;
  readonly parts: RequestScopeParts;
  builtClient: PharmaOneClient | undefined = undefined;
  builtLoaders: Loaders | undefined = undefined;

  constructor(parts: RequestScopeParts) {
    this.upstreamTrace = parts.upstreamTrace;
    this.deadline = parts.deadline;
    this.parts = parts;
  }

  get pharmaone(): PharmaOneClient {
    const { client, credentials, upstreamTrace, maxCalls, deadline } = this.parts;
    this.builtClient ??= createPharmaOneClient({ deps: client, credentials, trace: upstreamTrace, maxCalls, deadline });
    return this.builtClient;
  }

  get loaders(): Loaders {
    this.builtLoaders ??= createLoaders(this.pharmaone, this.parts.loaders);
    return this.builtLoaders;
  }
}
