// Estimates, before execution, how many PharmaOne calls an operation can make, from the cost
// declarations on the fields themselves (`@upstream` and `@listSize` in the SDL, src/schema/sdl-files.ts): list
// sizes × calls per parent, plus the lookups an operation shares once per org or per shop. It
// reads the argument values execution will use (graphql-js's own coercion of the variables, their
// defaults and the arguments' schema defaults), so an operation under the budget never needs more
// calls than estimated (in the loaders' terms; retries are the client's own budget to count).
// Every `@upstream` names a route of the upstream route table (src/upstream/routes.ts) by its
// reference; one naming no route fails the declarations' read, so a typo cannot go uncounted.
import { Kind, getArgumentValues, getNamedType, getVariableValues, isObjectType, valueFromASTUntyped } from 'graphql';
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { estimateEntities, selectionsFor } from './entities-estimate.ts';
import type { ReferenceCost } from './entities-estimate.ts';
import { referenceOf, ROUTE_BY_OPERATION, routeReferenced } from '../../upstream/routes.ts';
import { argumentOrDefault } from '../arguments.ts';

export interface EstimateOptions {
  /** Shops assumed per org where a lookup runs once per shop (catalog, stock) or a list spans shops. */
  assumedShopsPerOrg: number;
}

export type UpstreamCallScope = 'PARENT' | 'ORG' | 'SHOP';

export interface UpstreamCallDeclaration {
  /** The route's reference (src/upstream/routes.ts referenceOf), e.g. `GET /orders/{id}`. */
  route: string;
  per: UpstreamCallScope;
}

/** The shared lookup a federation reference needs, as the `per: ORG | SHOP` declaration it stands for. */
const REFERENCE_SHARED: Record<NonNullable<ReferenceCost['shared']>, string> = {
  shops: `ORG ${referenceOf(ROUTE_BY_OPERATION.listShops)}`,
  catalogs: `SHOP ${referenceOf(ROUTE_BY_OPERATION.listProducts)}`,
};

/** The call an entity that yields an order's detail has already paid for its detail fields. */
const ORDER_DETAIL = referenceOf(ROUTE_BY_OPERATION.getOrder);

export interface FieldCost {
  calls: UpstreamCallDeclaration[];
  listSize?: { slicingArgument?: string; assumedSize?: number; perShop?: boolean };
}

/** `Type.field` → what its SDL declares; a field without declarations reads its parent and costs nothing. */
export type FieldCosts = ReadonlyMap<string, FieldCost>;

/** Reads the `@upstream` and `@listSize` declarations off every field's SDL node. */
export function readFieldCosts(schema: GraphQLSchema): FieldCosts {
  const costs = new Map<string, FieldCost>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const cost: FieldCost = { calls: [] };
      for (const directive of field.astNode?.directives ?? []) {
        const args = Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
        if (directive.name.value === 'upstream')
          cost.calls.push({ route: declaredRoute(type, field, args.route), per: args.per as UpstreamCallScope });
        if (directive.name.value === 'listSize') cost.listSize = args as FieldCost['listSize'];
      }
      if (cost.calls.length > 0 || cost.listSize) costs.set(`${type.name}.${field.name}`, cost);
    }
  }
  return costs;
}

/** The reference of the route a field's `@upstream` declares; a reference to no route is a schema error. */
function declaredRoute(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, route: unknown): string {
  const key = typeof route === 'string' ? routeReferenced(route) : undefined;
  if (!key) throw new Error(`@upstream on ${type.name}.${field.name} names no route of the upstream route table: ${String(route)}`);
  return referenceOf(key);
}

export function estimateUpstreamCalls(
  schema: GraphQLSchema,
  costs: FieldCosts,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  rawVariables: Record<string, unknown>,
  options: EstimateOptions,
): number {
  // A subscription's selection runs once per event: its estimate is what one event costs.
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // Exactly what execution will see; variables that do not coerce mean nothing executes.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
  if (coerced.errors) return 0;
  const variables = coerced.coerced;
  const shared = new Set<string>();
  let orgs = 0;

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

  function listSize(cost: FieldCost | undefined, definition: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
    const size = cost?.listSize;
    if (!size) return 1;
    if (size.slicingArgument) {
      const value = argumentOrDefault(definition, args, size.slicingArgument);
      if (typeof value === 'number') return Math.max(0, value);
    }
    if (size.assumedSize !== undefined) return size.assumedSize;
    return size.perShop ? options.assumedShopsPerOrg : 1;
  }

  /** `paid`: PARENT routes whose answer the field that produced these objects already fetched. */
  function walk(selectionSet: SelectionSetNode, type: GraphQLObjectType, multiplier: number, paid: ReadonlySet<string>): number {
    let calls = 0;
    // Routes of argument-free fields already charged on this parent: the loaders fetch them once.
    const chargedOnParent = new Set<string>();
    for (const field of fieldsOf(selectionSet)) {
      const definition = type.getFields()[field.name.value];
      if (!definition) continue;
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(definition, field, variables);
      } catch {
        continue; // the field fails on its arguments before its resolver runs
      }
      if (type === root && definition.name === '_entities' && field.selectionSet) {
        calls += multiplier * entitiesCalls(field.selectionSet, args.representations);
        continue;
      }
      const childType = getNamedType(definition.type);
      if (childType.name === 'Org') orgs += multiplier;
      const cost = costs.get(`${type.name}.${definition.name}`);
      for (const call of cost?.calls ?? []) {
        if (call.per !== 'PARENT') {
          shared.add(`${call.per} ${call.route}`);
        } else if (definition.args.length > 0) {
          calls += multiplier;
        } else if (!paid.has(call.route) && !chargedOnParent.has(call.route)) {
          chargedOnParent.add(call.route);
          calls += multiplier;
        }
      }
      if (!field.selectionSet || !isObjectType(childType)) continue;
      const ownRoutes = new Set((cost?.calls ?? []).filter((call) => call.per === 'PARENT').map((call) => call.route));
      calls += walk(field.selectionSet, childType, multiplier * listSize(cost, definition, args), ownRoutes);
    }
    return calls;
  }

  /** Federation (FEDERATION_SUBGRAPH=true): representations × per-entity cost, see src/federation/. */
  function entitiesCalls(selectionSet: SelectionSetNode, representations: unknown): number {
    const entities = estimateEntities(representations, (typeName, yieldsOrderDetail) => {
      const entityType = schema.getType(typeName);
      if (!isObjectType(entityType)) return 0;
      const paid = new Set(yieldsOrderDetail ? [ORDER_DETAIL] : []);
      return walk(selectionsFor(selectionSet, typeName, fragments), entityType, 1, paid);
    });
    for (const kind of entities.shared) shared.add(REFERENCE_SHARED[kind]);
    orgs += entities.orgs;
    return entities.calls;
  }

  const perParent = walk(operation.selectionSet, root, 1, new Set());
  const perOrg = [...shared].reduce((sum, key) => sum + (key.startsWith('SHOP ') ? options.assumedShopsPerOrg : 1), 0);
  return perParent + perOrg * Math.max(1, orgs);
}
