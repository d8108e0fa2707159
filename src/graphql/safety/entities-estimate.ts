// The upstream-call estimate of a `_entities` field (the router's entity fetch): the
// representations of each entity type × what one of them costs (resolving the reference, then the
// fields selected on it), for subgraph mode (src/federation/). Kept apart from
// ./upstream-call-estimate.ts so it plugs into whatever computes per-type selection costs there:
// that estimate passes `costOf`.
import { Kind } from 'graphql';
import type { FragmentDefinitionNode, SelectionNode, SelectionSetNode } from 'graphql';

/** What resolving one reference costs before any field of it is read (src/federation/reference-resolvers.ts). */
export interface ReferenceCost {
  /** Calls per reference: Order is one GET /orders/{id}. */
  calls: number;
  /** A lookup shared by every reference of one org: GET /shops, a shop's catalog. */
  shared?: 'shops' | 'catalogs';
  /** The resolved entity is an order detail, so its detail-only fields cost nothing more. */
  yieldsOrderDetail?: boolean;
}

export const REFERENCE_COSTS: Record<string, ReferenceCost> = {
  Org: { calls: 0 },
  Shop: { calls: 0, shared: 'shops' },
  Order: { calls: 1, yieldsOrderDetail: true },
  Product: { calls: 0, shared: 'catalogs' },
};

/** Representations of each entity type, and the distinct orgs they name (each may cost a token exchange). */
export interface RepresentationCounts {
  byType: Map<string, number>;
  orgIds: Set<string>;
}

/** Reads the caller-controlled `representations` argument without trusting its shape. */
export function countRepresentations(representations: unknown): RepresentationCounts {
  const byType = new Map<string, number>();
  const orgIds = new Set<string>();
  if (!Array.isArray(representations)) return { byType, orgIds };
  for (const representation of representations) {
    if (typeof representation !== 'object' || representation === null) continue;
    const { __typename: typeName, orgId, id } = representation as Record<string, unknown>;
    if (typeof typeName !== 'string') continue;
    byType.set(typeName, (byType.get(typeName) ?? 0) + 1);
    const org = typeName === 'Org' ? id : orgId;
    if (typeof org === 'string') orgIds.add(org);
  }
  return { byType, orgIds };
}

/** The selections that apply to one entity type: `... on T { }` and `...F` with `fragment F on T`. */
export function selectionsFor(
  selectionSet: SelectionSetNode,
  typeName: string,
  fragments: Record<string, FragmentDefinitionNode>,
): SelectionSetNode {
  const selections: SelectionNode[] = [];
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition?.name.value;
        if (on === typeName) selections.push(...selection.selectionSet.selections);
        else if (on === undefined || on === '_Entity') visit(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(selection.name.value)) continue;
        seen.add(selection.name.value);
        const on = fragment.typeCondition.name.value;
        if (on === typeName) selections.push(...fragment.selectionSet.selections);
        else if (on === '_Entity') visit(fragment.selectionSet);
      }
      // Fields directly on the union can only be __typename: free.
    }
  };
  visit(selectionSet);
  return { kind: Kind.SELECTION_SET, selections };
}

export interface EntitiesEstimate {
  calls: number;
  /** Shared lookups the references need (counted once per org by the caller, like any other). */
  shared: Set<NonNullable<ReferenceCost['shared']>>;
  /** Distinct orgs named: each is at least a token exchange, and multiplies the shared lookups. */
  orgs: number;
}

/**
 * Σ over entity types: representations × (the reference's own calls + the calls of the fields
 * selected on it, as `costOf` computes them for one instance of the type).
 */
export function estimateEntities(
  representations: unknown,
  costOf: (typeName: string, yieldsOrderDetail: boolean) => number,
): EntitiesEstimate {
  const { byType, orgIds } = countRepresentations(representations);
  const shared = new Set<NonNullable<ReferenceCost['shared']>>();
  let calls = 0;
  for (const [typeName, count] of byType) {
    const reference = REFERENCE_COSTS[typeName];
    // Costs nothing: an operation naming such a type is refused by ./representations-rule.ts before it runs.
    if (!reference) continue;
    if (reference.shared) shared.add(reference.shared);
    calls += count * (reference.calls + costOf(typeName, reference.yieldsOrderDetail ?? false));
  }
  // A token exchange per distinct org: bounds what a batch of references to many orgs can make
  // PharmaOne do, where Query.org is bounded by the alias limit instead.
  return { calls: calls + orgIds.size, shared, orgs: orgIds.size };
}
