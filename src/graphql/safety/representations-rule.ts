// The admission rule for `_entities` (FEDERATION_SUBGRAPH=true): every representation of the
// operation, as execution will coerce it (a literal, a `$representations` variable, or variables
// inside a literal), is checked by ./representations.ts before any resolver runs. A malformed one
// refuses the whole operation with BAD_USER_INPUT and HTTP 400: a router never sends one, so it is
// a caller's mistake, answered without a stack, an error-level log line or a PharmaOne call.
import { Kind, getArgumentValues, getVariableValues } from 'graphql';
import type { FieldNode, FragmentDefinitionNode, GraphQLSchema, SelectionSetNode } from 'graphql';
import type { AdmissionRule } from '../plugins/admission-rules.ts';
import { checkRepresentations, entityKeysOf } from './representations.ts';

/** The rule for a subgraph schema; undefined for a schema without `_entities`. */
export function representationsRule(schema: GraphQLSchema): AdmissionRule | undefined {
  const entities = schema.getQueryType()?.getFields()._entities;
  if (!entities) return undefined;
  const keys = entityKeysOf(schema);
  return (operation, fragments, rawVariables) => {
    if (operation.operation !== 'query') return undefined;
    const fields = rootFields(operation.selectionSet, fragments, new Set()).filter((field) => field.name.value === '_entities');
    if (fields.length === 0) return undefined;
    // Variables that do not coerce are refused by Apollo with its own BAD_USER_INPUT before execution.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 1 });
    if (coerced.errors) return undefined;
    const lists: unknown[] = [];
    for (const field of fields) {
      try {
        lists.push(getArgumentValues(entities, field, coerced.coerced).representations);
      } catch {
        // A field whose arguments do not coerce fails on them alone, before its resolver runs.
      }
    }
    return checkRepresentations(lists, keys);
  };
}

/** The fields of the root selection set, through inline fragments and fragment spreads (each spread once). */
function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const fragment = fragments[selection.name.value];
    if (!fragment || seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    return rootFields(fragment.selectionSet, fragments, seen);
  });
}
