// GraphiQL's fetcher: queries and mutations as a JSON POST to the gateway's own endpoint;
// subscriptions over GraphQL over WebSocket (graphql-ws) on the same path. The headers editor's
// `apikey` / `Authorization` travel as the WebSocket's connection_init payload (browsers cannot
// set WebSocket headers). (@graphiql/toolkit's fetcher takes fixed connection params instead.)
// An orderEvents subscription goes to the live order board (./board/order-board.ts), which keeps
// it running whatever the tabs do.
import type { GraphiQLProps } from 'graphiql';
import { getOperationAST, Kind, parse } from 'graphql';
import type { DocumentNode, ExecutionResult, OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import type { OrderBoard } from './board/order-board.ts';

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];

/** What the response pane shows for a subscription the board took over. */
export const BOARD_NOTICE: ExecutionResult = {
  extensions: {
    orderBoard: 'Live on the Order board below the editors. Other tabs run as usual while it listens; stop it with its Stop button.',
  },
};

export function createFetcher(endpoint: string, board: OrderBoard): Fetcher {
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

  return (sent, options) => {
    const headers = (options?.headers ?? {}) as Record<string, string>;
    const { params, operation } = chosenOperation(sent);
    if (operation?.operation === 'subscription' && isOrderEvents(operation)) {
      const payload = { query: params.query, variables: params.variables ?? undefined, operationName: params.operationName ?? undefined };
      board.start((sink) => wsClient(headers).subscribe(payload, sink));
      return BOARD_NOTICE;
    }
    if (operation?.operation === 'subscription') {
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

/**
 * The operation ▶ runs, from one parse of the document. GraphiQL may send the operationName of
 * the tab it just left when ▶ is pressed right after a tab switch (its operation-name state
 * follows the editor a moment later). A name that names no operation of a one-operation document
 * is that stale name: the document's own operation is run, as the person pressing ▶ on that tab
 * means. A document with several operations keeps the name sent, and the gateway's answer stays
 * the judge of it.
 */
export function chosenOperation(sent: FetcherParams): { params: FetcherParams; operation: OperationDefinitionNode | null } {
  let document: DocumentNode;
  try {
    document = parse(sent.query);
  } catch {
    return { params: sent, operation: null };
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [only] = operations;
  const stale = sent.operationName && operations.length === 1 && only !== undefined && only.name?.value !== sent.operationName;
  const params = stale ? { ...sent, operationName: only.name?.value ?? null } : sent;
  return { params, operation: getOperationAST(document, params.operationName ?? undefined) ?? null };
}

function isOrderEvents(operation: OperationDefinitionNode): boolean {
  const [root] = operation.selectionSet.selections;
  return operation.selectionSet.selections.length === 1 && root?.kind === Kind.FIELD && root.name.value === 'orderEvents';
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
