// What the schema says about each field of a result: its type and description, keyed by response
// path (aliases as they appear in the JSON, list levels dropped), e.g.
// `org.reports.dashboard.monthlyTrends.revenue` → Decimal "Revenue of the month in euros …".
// The results view reads kinds from it (a Decimal is a number even though JSON carries a string;
// a Money's amount is currency) instead of guessing from values.
import { getNamedType, isInterfaceType, isObjectType, Kind, parse } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLSchema, SelectionSetNode } from 'graphql';

export interface FieldFacts {
  /** The type that declares the field, e.g. `Money`. */
  parentType: string;
  field: string;
  /** The field's named type (lists and non-null stripped), e.g. `Decimal`. */
  type: string;
  description: string;
}

/** Nested selections deeper than this are left without facts (the values then decide). */
const MAX_DEPTH = 32;

export function fieldFacts(
  schema: GraphQLSchema | null | undefined,
  query: string,
  operationName?: string | null,
): Map<string, FieldFacts> {
  const facts = new Map<string, FieldFacts>();
  if (!schema) return facts;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return facts;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((candidate) => !operationName || candidate.name?.value === operationName) ?? operations[0];
  if (!operation) return facts;
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined, prefix: string, depth: number): void => {
    if (!parent || depth > MAX_DEPTH || !(isObjectType(parent) || isInterfaceType(parent))) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        const path = `${prefix}${selection.alias?.value ?? selection.name.value}`;
        const type = getNamedType(definition.type);
        facts.set(path, { parentType: parent.name, field: definition.name, type: type.name, description: definition.description ?? '' });
        if (selection.selectionSet) walk(selection.selectionSet, type, `${path}.`, depth + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typed = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, typed, prefix, depth + 1);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), prefix, depth + 1);
      }
    }
  };
  walk(operation.selectionSet, root, '', 0);
  return facts;
}
