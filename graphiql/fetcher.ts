// GraphiQL's fetcher: a JSON POST to the gateway's own endpoint with the headers editor's headers.
// (@graphiql/toolkit's fetcher would also pull in subscription transports this gateway lacks.)
import type { GraphiQLProps } from 'graphiql';

export function createFetcher(endpoint: string): GraphiQLProps['fetcher'] {
  return async (params, options) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options?.headers as Record<string, string> | undefined),
      },
      body: JSON.stringify(params),
    });
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      // Not GraphQL (e.g. a proxy's error page): show it in the result pane instead of failing silently.
      return { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
    }
  };
}
