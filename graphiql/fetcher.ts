// GraphiQL's fetcher: queries and mutations as a JSON POST to the gateway's own endpoint;
// subscriptions over GraphQL over WebSocket (graphql-ws) on the same path. The headers editor's
// `apikey` / `Authorization` travel as the WebSocket's connection_init payload (browsers cannot
// set WebSocket headers). (@graphiql/toolkit's fetcher takes fixed connection params instead.)
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];

export function createFetcher(endpoint: string): Fetcher {
  const clients = new Map<string, Client>();

  /** One WebSocket per credential in the headers editor; a new credential gets a new connection. */
  function wsClient(headers: Record<string, string>): Client {
    const key = JSON.stringify(headers);
    let client = clients.get(key);
    if (!client) {
      for (const old of clients.values()) void old.dispose();
      clients.clear();
      const url = new URL(endpoint, window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      client = createClient({ url: url.href, connectionParams: headers, retryAttempts: 0 });
      clients.set(key, client);
    }
    return client;
  }

  return (params, options) => {
    const headers = (options?.headers ?? {}) as Record<string, string>;
    if (isSubscription(params)) {
      const results = wsClient(headers).iterate({
        query: params.query,
        variables: params.variables ?? undefined,
        operationName: params.operationName ?? undefined,
      });
      // GraphiQL's type names graphql-js's ExecutionResult; what arrives (and what it renders) is its JSON form.
      return results as unknown as AsyncIterable<ExecutionResult>;
    }
    return post(endpoint, params, headers);
  };
}

function isSubscription(params: FetcherParams): boolean {
  try {
    return getOperationAST(parse(params.query), params.operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

async function post(endpoint: string, params: FetcherParams, headers: Record<string, string>) {
  const response = await fetch(endpoint, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // Not GraphQL (e.g. a proxy's error page): show it in the result pane instead of failing silently.
    return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
  }
}
