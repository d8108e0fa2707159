// Estimates, before execution, how many PharmaOne calls an operation can make: list sizes ×
// detail fetches × nested lookups, read off the operation and its variables. It is an upper
// bound in the loaders' terms (shared lookups such as GET /shops count once per org), so an
// operation under the budget never needs more calls than estimated.
import { Kind, getNamedType, isObjectType, valueFromASTUntyped } from 'graphql';
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { estimateEntities, selectionsFor } from '../../federation/entities-estimate.ts';

export interface EstimateOptions {
  /** Shops assumed per org where a lookup runs once per shop (catalog, stock) or a list spans shops. */
  assumedShopsPerOrg: number;
  /** Page size when a connection's `first` is omitted. */
  defaultPageSize: number;
}

interface FieldCost {
  /** Calls each parent instance makes for this field. */
  calls?: number;
  /** Instances of the field's type each parent yields (list or page size). */
  fanOut?: (args: Record<string, unknown>, options: EstimateOptions) => number;
  /** A lookup shared by the whole operation (once per org), not per parent: GET /shops, catalogs. */
  shared?: 'shops' | 'catalogs' | 'inventories';
  /** The child is an order detail already, so its detail-only fields cost nothing more. */
  yieldsOrderDetail?: boolean;
}

const page = (args: Record<string, unknown>, options: EstimateOptions) =>
  typeof args.first === 'number' ? args.first : options.defaultPageSize;

/** `Type.field` → its cost; fields not listed cost nothing (they read their parent). */
const FIELD_COSTS: Record<string, FieldCost> = {
  'Org.shops': { shared: 'shops', fanOut: (_, o) => o.assumedShopsPerOrg },
  'Org.shop': { shared: 'shops' },
  'Org.orders': { calls: 1, fanOut: page },
  'Org.order': { calls: 1, yieldsOrderDetail: true },
  'Org.prescriptions': { calls: 1, fanOut: page },
  'Org.inventory': { calls: 1, fanOut: page },
  'Shop.orders': { calls: 1, fanOut: page },
  'Shop.products': { calls: 1, fanOut: page },
  'Shop.inventory': { calls: 1, fanOut: page },
  'OrderConnection.nodes': {},
  'Order.shop': { shared: 'shops' },
  'Order.items': { fanOut: () => ORDER_LINES_ASSUMED },
  'OrderItem.product': { shared: 'catalogs' },
  'Prescription.shop': { shared: 'shops' },
  'Prescription.order': { calls: 1, yieldsOrderDetail: true },
  'InventoryItem.shop': { shared: 'shops' },
  'InventoryItem.product': { shared: 'catalogs' },
  'Product.shop': { shared: 'shops' },
  'Product.stock': { shared: 'inventories' },
  'Reports.dashboard': { calls: 1 },
  'Reports.productPerformance': { calls: 1, fanOut: (args) => (typeof args.limit === 'number' ? args.limit : 20) },
  'ShopPerformance.shop': { shared: 'shops' },
  'ProductPerformance.product': { shared: 'catalogs' },
  'ViewerOrg.org': {},
  'OrderRequest.order': { calls: 1, yieldsOrderDetail: true },
  'SubmitOrderRequestPayload.order': { calls: 1, yieldsOrderDetail: true },
  'Mutation.updateOrderStatus': { calls: 1, yieldsOrderDetail: true },
  'Mutation.submitOrderRequest': { calls: 1, shared: 'shops' },
  'Mutation.submitExternalOrder': { calls: 1, shared: 'shops' },
  'Mutation.ingestPrescription': { calls: 1, shared: 'shops' },
};

/** Order lines are a fixed part of one GET /orders/{id}: their count multiplies nested lookups only. */
const ORDER_LINES_ASSUMED = 10;
const ORDER_DETAIL_FIELDS = new Set(['items', 'customerEmail', 'shippingAddress']);
const SHARED_CALLS: Record<NonNullable<FieldCost['shared']>, (options: EstimateOptions) => number> = {
  shops: () => 1,
  catalogs: (o) => o.assumedShopsPerOrg,
  inventories: (o) => o.assumedShopsPerOrg,
};

export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  options: EstimateOptions,
): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  const shared = new Set<string>();
  let orgs = 0;

  const argsOf = (field: FieldNode): Record<string, unknown> =>
    Object.fromEntries((field.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value, variables)]));

  function fieldsOf(selectionSet: SelectionSetNode, seen = new Set<string>()): FieldNode[] {
    return selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, seen);
      const fragment = fragments[selection.name.value];
      // A fragment spread twice on one level counts once, as graphql-js merges it.
      if (!fragment || seen.has(selection.name.value)) return [];
      seen.add(selection.name.value);
      return fieldsOf(fragment.selectionSet, seen);
    });
  }

  function walk(selectionSet: SelectionSetNode, type: GraphQLObjectType, multiplier: number, isOrderDetail: boolean): number {
    const fields = fieldsOf(selectionSet);
    let calls = 0;
    if (type.name === 'Order' && !isOrderDetail && fields.some((field) => ORDER_DETAIL_FIELDS.has(field.name.value))) {
      calls += multiplier; // one GET /orders/{id} per order, however many detail fields
    }
    for (const field of fields) {
      if (type.name === 'Query' && field.name.value === 'org') orgs++;
      const cost = FIELD_COSTS[`${type.name}.${field.name.value}`];
      const args = argsOf(field);
      if (type.name === 'Query' && field.name.value === '_entities' && field.selectionSet) {
        // Federation (FEDERATION_SUBGRAPH=true): representations × per-entity cost, see src/federation/.
        const { selectionSet } = field;
        const entities = estimateEntities(args.representations, (typeName, yieldsOrderDetail) => {
          const entityType = schema.getType(typeName);
          if (!isObjectType(entityType)) return 0;
          return walk(selectionsFor(selectionSet, typeName, fragments), entityType, 1, yieldsOrderDetail);
        });
        for (const kind of entities.shared) shared.add(kind);
        orgs += entities.orgs;
        calls += multiplier * entities.calls;
        continue;
      }
      if (cost?.shared) shared.add(cost.shared);
      calls += multiplier * (cost?.calls ?? 0);
      const definition = type.getFields()[field.name.value];
      const childType = definition && getNamedType(definition.type);
      if (!field.selectionSet || !childType || !isObjectType(childType)) continue;
      const fanOut = Math.max(0, cost?.fanOut?.(args, options) ?? 1);
      calls += walk(
        field.selectionSet,
        childType,
        multiplier * fanOut,
        cost?.yieldsOrderDetail ?? (isOrderDetail && childType.name === 'Order'),
      );
    }
    return calls;
  }

  const perElement = walk(operation.selectionSet, root, 1, false);
  const sharedCalls = [...shared].reduce((sum, kind) => sum + SHARED_CALLS[kind as keyof typeof SHARED_CALLS](options), 0);
  return perElement + sharedCalls * Math.max(1, orgs);
}
