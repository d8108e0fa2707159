// Who gets the playground at GET /graphql: a browser navigating there (its Accept header ranks
// text/html above JSON). Every other request — fetch clients, curl's `*/*`, the GraphQL over HTTP
// media types — goes to the GraphQL endpoint. Same rule as Apollo's landing page: HTML must be
// named explicitly and rank first (quality, then specificity, then order in the header).

const GRAPHQL_TYPES = ['application/graphql-response+json', 'application/json'];

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').flatMap((part, index) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(Math.max(q, 0), 1), index }] : [];
  });
}

/** The most specific range in the header that covers `mediaType`, with its rank. */
function rank(ranges: MediaRange[], mediaType: string): { q: number; specificity: number; index: number } | null {
  const [type, subtype] = mediaType.split('/');
  let best: { q: number; specificity: number; index: number } | null = null;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity < 0 || (best && specificity <= best.specificity)) continue;
    best = { q: range.q, specificity, index: range.index };
  }
  return best;
}

export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const html = rank(ranges, 'text/html');
  if (!html || html.q === 0 || html.specificity < 2) return false;
  for (const mediaType of GRAPHQL_TYPES) {
    const other = rank(ranges, mediaType);
    if (!other || other.q === 0) continue;
    const htmlFirst =
      html.q !== other.q
        ? html.q > other.q
        : html.specificity !== other.specificity
          ? html.specificity > other.specificity
          : html.index < other.index;
    if (!htmlFirst) return false;
  }
  return true;
}
