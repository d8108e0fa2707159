// Reads a parent field starts for its child fields, so that a child's PharmaOne read does not wait
// for the parent's. graphql-js resolves a child only once its parent's value is known, so a child
// list under a looked-up parent (Org.shop → Shop.orders) would cost two PharmaOne waves although
// the child's request does not depend on what the parent's read answers. The parent names the
// child fields whose reads it can compute from its own arguments; this starts each selected one
// now, with the argument values graphql-js will pass the child (its own coercion, defaults,
// variables), through the request's client, whose `readsOnce` (src/upstream/pharmaone-client.ts)
// hands the child the same in-flight GET when it runs: one HTTP call, as before, only earlier.
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isObjectType,
} from 'graphql';
import type { FieldNode, GraphQLField, GraphQLObjectType, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** Child field name → the read its resolver will make for these (coerced) arguments. */
export type ChildReads = Readonly<
  Record<string, (args: Record<string, unknown>, field: GraphQLField<unknown, unknown>) => Promise<unknown>>
>;

/**
 * Starts, now, the reads of the child fields of `info`'s field that the operation selects (through
 * fragments and inline fragments, honouring @skip/@include, once per response key, as graphql-js
 * merges them). A read that fails, or whose arguments the child would refuse, is abandoned here
 * quietly: the child, if it runs, meets the same failure itself; if the parent turns out null
 * (an unknown shop), nothing ever asks and nothing is reported.
 */
export function startChildReads(info: GraphQLResolveInfo, reads: ChildReads): void {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return;
  for (const node of selectedChildren(info, type, Object.keys(reads))) {
    const field = type.getFields()[node.name.value];
    const read = reads[node.name.value];
    if (!field || !read) continue;
    try {
      read(getArgumentValues(field, node, info.variableValues), field).catch(ignore);
    } catch {
      // Arguments the child refuses (a bad cursor, a page too large): the child reports it itself.
    }
  }
}

/** The selected fields of `type` named in `names`, one node per response key. */
function selectedChildren(info: GraphQLResolveInfo, type: GraphQLObjectType, names: readonly string[]): FieldNode[] {
  const byKey = new Map<string, FieldNode>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(info, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (names.includes(selection.name.value) && !byKey.has(key)) byKey.set(key, selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(info, type, selection.typeCondition?.name.value)) collect(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (!fragment || visited.has(selection.name.value)) continue;
        visited.add(selection.name.value);
        if (applies(info, type, fragment.typeCondition.name.value)) collect(fragment.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  return [...byKey.values()];
}

function included(info: GraphQLResolveInfo, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

function applies(info: GraphQLResolveInfo, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = info.schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && info.schema.isSubType(conditionType, type);
}

function ignore(): void {}
