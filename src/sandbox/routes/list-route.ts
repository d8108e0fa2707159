// The GET list routes (§5 orders, §9 prescriptions, §11 inventory): the page is read first (a bad
// limit or offset is refused before any filter), then one page of the org's rows the filters keep.
import type { Scope } from '../api-keys.ts';
import type { OrgData } from '../model.ts';
import { pageParams, paginated } from '../query-params.ts';
import type { RouteDefinition } from '../route-types.ts';

export function listRoute<Row>(
  path: string,
  scope: Scope,
  list: { rows(org: OrgData, query: URLSearchParams): readonly Row[]; toJson(row: Row): unknown },
): RouteDefinition {
  return {
    method: 'GET',
    path,
    auth: { kind: 'jwt', scope },
    handle: ({ org, query }) => {
      const page = pageParams(query);
      return { status: 200, body: paginated(list.rows(org, query), page, list.toJson) };
    },
  };
}
