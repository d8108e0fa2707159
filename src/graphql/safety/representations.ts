// The shape a `_entities` representation must have, checked before any resolver runs
// (./representations-rule.ts): an object whose `__typename` names an entity this subgraph resolves
// by reference, holding exactly that entity's key fields, each a bounded string, every value that
// becomes part of a PharmaOne URL or token exchange obeying PharmaOne's id grammar. `_Any` lets a
// caller send any JSON; without this, @apollo/subgraph answers a wrong `__typename` with an internal
// error naming runtime types, and passes a non-entity type's representation through as its data.
// Messages name only the published entities and their key fields, never the caller's `__typename`.
// Subgraph mode is src/federation/; this check is here, among the admission's rules, because every
// transport's admission runs it.
import { GraphQLError, Kind, isUnionType } from 'graphql';
import type { ConstDirectiveNode, GraphQLSchema } from 'graphql';
import { ErrorCode } from '../errors.ts';
import { UPSTREAM_ID_MAX_LENGTH, isUpstreamId } from '../../upstream/upstream-ids.ts';

/** Representations per operation, over every `_entities` field of it: a router's batch is far smaller. */
export const MAX_REPRESENTATIONS = 1_000;

/** Longer than any PharmaOne catalog id; keeps hostile values out of lookups and messages. */
export const MAX_KEY_TEXT_LENGTH = 128;

/**
 * Key fields only matched against a list PharmaOne returned, never sent to it: catalog ids are the
 * vendor's own strings, so they are bounded text. Every other key field is a PharmaOne id.
 */
const MATCHED_KEY_FIELDS = new Set(['Product.p1Id']);

type KeyRule = 'id' | 'text';

/** How a key field's value is checked: a PharmaOne id, or bounded text for a matched-only field. */
export function keyRule(typeName: string, field: string): KeyRule {
  return MATCHED_KEY_FIELDS.has(`${typeName}.${field}`) ? 'text' : 'id';
}

export interface EntityKey {
  /** The key's fields, in the order of its `@key(fields:)`. */
  fields: ReadonlyArray<{ name: string; rule: KeyRule }>;
  /** `resolvable: false`: the subgraph names the entity but cannot fetch it by reference. */
  resolvable: boolean;
}

/** Every `_Entity` member with its `@key`, read from the schema (src/federation/entities.graphql); empty without `_entities`. */
export function entityKeysOf(schema: GraphQLSchema): ReadonlyMap<string, EntityKey> {
  const keys = new Map<string, EntityKey>();
  const union = schema.getType('_Entity');
  if (!isUnionType(union)) return keys;
  for (const type of union.getTypes()) {
    const directives = [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []);
    const declared = directives.filter((directive) => directive.name.value === 'key');
    // One flat key per entity is all entities.graphql declares; anything else must be read here first.
    if (declared.length !== 1) throw new Error(`${type.name} needs exactly one @key for the representation check.`);
    const fieldSet = argument(declared[0] as ConstDirectiveNode, 'fields');
    if (typeof fieldSet !== 'string' || !/^\s*\w+(\s+\w+)*\s*$/.test(fieldSet)) {
      throw new Error(`${type.name}'s @key fields must be a flat list of field names.`);
    }
    const fields = fieldSet
      .trim()
      .split(/\s+/)
      .map((name) => ({ name, rule: keyRule(type.name, name) }));
    keys.set(type.name, { fields, resolvable: argument(declared[0] as ConstDirectiveNode, 'resolvable') !== false });
  }
  return keys;
}

function argument(directive: ConstDirectiveNode, name: string): string | boolean | undefined {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.BOOLEAN) return value.value;
  return undefined;
}

/** A refusal of the whole operation: HTTP 400, BAD_USER_INPUT, before any resolver or PharmaOne call. */
function refusal(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

/** What is wrong with one key field's value, or undefined when it is acceptable. */
export function keyValueProblem(rule: KeyRule, value: unknown): string | undefined {
  if (rule === 'id') {
    return isUpstreamId(value)
      ? undefined
      : `a PharmaOne id (1–${UPSTREAM_ID_MAX_LENGTH} letters, digits, "_" or "-", starting with a letter or digit)`;
  }
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_TEXT_LENGTH
    ? undefined
    : `a string of 1–${MAX_KEY_TEXT_LENGTH} characters`;
}

/**
 * The refusal for the representations of an operation (each `_entities` field's list, as execution
 * will see it), or undefined when every one of them is well formed.
 */
export function checkRepresentations(lists: readonly unknown[], keys: ReadonlyMap<string, EntityKey>): GraphQLError | undefined {
  const total = lists.reduce<number>((sum, list) => sum + (Array.isArray(list) ? list.length : 0), 0);
  if (total > MAX_REPRESENTATIONS) {
    return refusal(`_entities takes at most ${MAX_REPRESENTATIONS} representations per operation; this one has ${total}.`);
  }
  const entities = [...keys].filter(([, key]) => key.resolvable).map(([name]) => name);
  const names = entities.sort().join(', ');
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, representation] of list.entries()) {
      const problem = representationProblem(`representations[${index}]`, representation, keys, names);
      if (problem) return refusal(problem);
    }
  }
  return undefined;
}

function representationProblem(
  at: string,
  representation: unknown,
  keys: ReadonlyMap<string, EntityKey>,
  entities: string,
): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return `${at} must be an object holding __typename and the key fields of one of: ${entities}.`;
  }
  const fields = representation as Record<string, unknown>;
  const typeName = fields.__typename;
  const key = typeof typeName === 'string' ? keys.get(typeName) : undefined;
  // The caller's own __typename is never repeated: it may name an internal type, or be anything at all.
  if (!key) return `${at}: __typename must name an entity this subgraph resolves by reference: ${entities}.`;
  if (!key.resolvable) {
    return `${at} (${typeName}): cannot be fetched by reference from this subgraph (its key is resolvable: false); reach it through the fields that return it.`;
  }
  const names = key.fields.map((field) => field.name);
  if (Object.keys(fields).some((name) => name !== '__typename' && !names.includes(name))) {
    return `${at} (${typeName}): holds a field outside the key; send only __typename and ${names.join(', ')}.`;
  }
  for (const field of key.fields) {
    const problem = keyValueProblem(field.rule, fields[field.name]);
    if (problem) return `${at} (${typeName}): ${field.name} must be ${problem}.`;
  }
  return undefined;
}
