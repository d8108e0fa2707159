// Who gets the playground at GET /graphql: a browser navigating there (its Accept header ranks
// text/html above JSON). Every other request — fetch clients, curl's `*/*`, the GraphQL over HTTP
// media types — goes to the GraphQL endpoint. Same rule as Apollo's landing page: HTML must be
// named explicitly and rank first. The ranking itself is the HTTP layer's one negotiation.
import { parseAccept, rankOf, ranksAbove } from '../accept.ts';

const GRAPHQL_TYPES = ['application/graphql-response+json', 'application/json'];

export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = rankOf(ranges, 'text/html');
  if (!html || html.q === 0 || html.specificity < 2) return false;
  for (const mediaType of GRAPHQL_TYPES) {
    const other = rankOf(ranges, mediaType);
    if (other && other.q > 0 && !ranksAbove(html, other)) return false;
  }
  return true;
}
