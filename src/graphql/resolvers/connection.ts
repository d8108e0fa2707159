// Relay connections over PharmaOne's limit/offset pages. Every connection type shares these
// resolvers; list fields turn a REST page into a ConnectionParent with connectionOf().
import { edgesFor, pageInfoFor } from '../../domain/cursor.ts';
import { allInOrg } from '../in-org.ts';
import type { ConnectionParent, InOrg } from '../parents.ts';
import type { Page } from '../../upstream/pharmaone-client.ts';

export function connectionOf<T extends object>(page: Page<T>, offset: number, orgId: string): ConnectionParent<InOrg<T>> {
  return {
    nodes: allInOrg(orgId, page.data),
    offset,
    totalCount: page.pagination.total,
  };
}

export const connectionResolvers = {
  edges: <T>(parent: ConnectionParent<T>) => edgesFor(parent.nodes, parent.offset),
  nodes: <T>(parent: ConnectionParent<T>) => parent.nodes,
  pageInfo: <T>(parent: ConnectionParent<T>) => pageInfoFor(parent.offset, parent.nodes.length, parent.totalCount),
  totalCount: <T>(parent: ConnectionParent<T>) => parent.totalCount,
};
