// The path of PharmaOne's token route for an org, as buildRouteUrl writes it: what a request's
// trace shows for each org's token, a cached one included, once per org per request. Taken apart
// once at the org id (for the last base URL asked: a process has one), so that each request's entry
// costs a concatenation instead of building the URL (issue 25).
import type { UrlTargets } from './routes.ts';
import { buildRouteUrl, ROUTE_BY_OPERATION } from './routes.ts';

const TOKEN_ROUTE = ROUTE_BY_OPERATION.exchangeToken;
/** An org id of the id grammar that no base URL holds: where the org's id goes. */
const ORG_MARK = 'org0tokenpath0mark0f3a9c';

let last: { baseUrl: string; template: { before: string; after: string } | null } | undefined;

/**
 * `buildRouteUrl(token route, targets, { org: orgId }).path`, byte for byte, for an org id already
 * checked by upstreamId: of the id grammar, which encodeURIComponent and the URL parser leave as it
 * is, it takes the mark's place exactly. A base URL that holds the mark is built each time.
 */
export function tokenPath(targets: UrlTargets, orgId: string): string {
  if (last?.baseUrl !== targets.baseUrl) {
    const parts = buildRouteUrl(TOKEN_ROUTE, targets, { params: { org: ORG_MARK } }).path.split(ORG_MARK);
    const [before, after] = parts;
    last = {
      baseUrl: targets.baseUrl,
      template: parts.length === 2 && before !== undefined && after !== undefined ? { before, after } : null,
    };
  }
  const { template } = last;
  return template ? `${template.before}${orgId}${template.after}` : buildRouteUrl(TOKEN_ROUTE, targets, { params: { org: orgId } }).path;
}
