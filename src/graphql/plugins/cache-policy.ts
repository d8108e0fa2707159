// The operation's cache policy from the SDL's @cacheControl hints, computed once per document
// instead of once per resolved field. Apollo's own cache-control plugin does the same arithmetic
// in a willResolveField hook, which makes Apollo wrap every resolver and run for each of the
// ~2,000 fields of a large answer; none of our resolvers sets a dynamic hint, so the policy
// depends on the operation alone and is kept per parsed operation (Apollo reuses the parsed
// document for the same query text).
//
// The rules are Apollo's (same maxAge/scope/inheritMaxAge arithmetic, same default maxAge 0 for
// root fields and for composite fields without a hint, same `cache-control` header). The one
// difference is which fields count: Apollo counts the fields that actually ran; this counts every
// field the operation selects, including those under a null parent, an empty list, a skipped
// directive or another branch of an abstract type. That can only make the policy stricter
// (shorter or uncacheable), never cache more.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CacheHint } from '@apollo/cache-control-types';
import { Kind, getNamedType, isCompositeType } from 'graphql';
import type {
  ConstDirectiveNode,
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

interface Annotation extends CacheHint {
  inheritMaxAge?: true;
}

/** Apollo's CachePolicy.restrict: the shorter maxAge wins, PRIVATE wins over PUBLIC. */
function restrict(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
}

function replace(policy: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

function annotationOf(directives: readonly ConstDirectiveNode[] | undefined): Annotation | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scopeName = scopeValue?.kind === Kind.ENUM ? scopeValue.value : undefined;
  const scope = scopeName === 'PUBLIC' || scopeName === 'PRIVATE' ? scopeName : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, ...(scope ? { scope } : {}) };
  const maxAge = argument('maxAge');
  return { ...(maxAge?.kind === Kind.INT ? { maxAge: Number.parseInt(maxAge.value, 10) } : {}), ...(scope ? { scope } : {}) };
}

function typeAnnotation(type: GraphQLNamedType): Annotation {
  const found = annotationOf(type.astNode?.directives);
  if (found) return found;
  for (const node of type.extensionASTNodes ?? []) {
    const extension = annotationOf(node.directives);
    if (extension) return extension;
  }
  return {};
}

/** The policy of one operation: every selected field's hint, restricted together. */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  defaultMaxAge = 0,
): CacheHint {
  const root = schema.getRootType(operation.operation);
  const overall: CacheHint = {};
  if (!root) return overall;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const visited = new Set<string>();

  function fieldPolicy(field: GraphQLField<unknown, unknown>, isRoot: boolean): CacheHint {
    const policy: CacheHint = {};
    let inheritMaxAge = false;
    const target = getNamedType(field.type);
    if (isCompositeType(target)) {
      const annotation = typeAnnotation(target);
      replace(policy, annotation);
      inheritMaxAge = Boolean(annotation.inheritMaxAge);
    }
    const annotation = annotationOf(field.astNode?.directives) ?? {};
    if (annotation.inheritMaxAge && policy.maxAge === undefined) {
      inheritMaxAge = true;
      if (annotation.scope) replace(policy, { scope: annotation.scope });
    } else {
      replace(policy, annotation);
    }
    if (policy.maxAge === undefined && ((isCompositeType(target) && !inheritMaxAge) || isRoot)) restrict(policy, { maxAge: defaultMaxAge });
    return policy;
  }

  function walk(type: GraphQLCompositeType, selectionSet: SelectionSetNode, isRoot: boolean): void {
    for (const selection of selectionSet.selections) {
      // maxAge 0 is as strict as it gets: nothing selected further can change the outcome.
      if (overall.maxAge === 0) return;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        // __schema / __type: meta fields Apollo never counts; the introspection types under them it does.
        const meta = name === '__schema' ? schema.getType('__Schema') : name === '__type' ? schema.getType('__Type') : undefined;
        if (meta) {
          if (selection.selectionSet && isCompositeType(meta)) walk(meta, selection.selectionSet, false);
          continue;
        }
        const field = 'getFields' in type ? type.getFields()[name] : undefined;
        // Unknown fields do not pass validation; nothing to count.
        if (!field) continue;
        restrict(overall, fieldPolicy(field, isRoot));
        const target = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(target)) walk(target, selection.selectionSet, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(condition && isCompositeType(condition) ? condition : type, selection.selectionSet, isRoot);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visited.has(name)) continue;
        visited.add(name);
        const condition = schema.getType(fragment.typeCondition.name.value);
        walk(condition && isCompositeType(condition) ? condition : type, fragment.selectionSet, isRoot);
        visited.delete(name);
      }
    }
  }

  walk(root, operation.selectionSet, true);
  return overall;
}

export const UNCACHEABLE = 'no-store';
const CACHEABLE_HEADER = /^max-age=(\d+), (public|private)$/;

/** The `cache-control` value of an answer without errors under this policy (Apollo's rule). */
export function cacheControlValue(policy: CacheHint): string {
  return isCacheable(policy) ? `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}` : UNCACHEABLE;
}

/** Whether answers under this policy may be kept by a cache at all. */
export function isCacheable(policy: CacheHint): boolean {
  return policy.maxAge !== undefined && policy.maxAge > 0;
}

/**
 * Replaces Apollo's cache-control plugin (install it with ApolloServerPluginCacheControlDisabled):
 * the same `overallCachePolicy` for the response cache and the same `cache-control` header, at
 * the cost of one walk per distinct operation.
 */
export function cachePolicyPlugin<TContext extends BaseContext>(options: { defaultMaxAge?: number } = {}): ApolloServerPlugin<TContext> {
  const byOperation = new WeakMap<OperationDefinitionNode, CacheHint>();
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ schema, document, operation, overallCachePolicy }) {
          let policy = byOperation.get(operation);
          if (!policy) {
            policy = operationCachePolicy(schema, document, operation, options.defaultMaxAge);
            byOperation.set(operation, policy);
          }
          overallCachePolicy.restrict(policy);
        },

        // Apollo's header rules, unchanged: an answer with errors, or an uncacheable one, is no-store.
        async willSendResponse({ response, overallCachePolicy }) {
          const existing = response.http.headers.get('cache-control');
          if (existing !== undefined && existing !== UNCACHEABLE && !CACHEABLE_HEADER.test(existing)) return;
          const policy: CacheHint = {};
          replace(policy, overallCachePolicy);
          const match = existing === undefined ? null : CACHEABLE_HEADER.exec(existing);
          if (match) restrict(policy, { maxAge: Number(match[1]), scope: match[2] === 'public' ? 'PUBLIC' : 'PRIVATE' });
          const storable = existing !== UNCACHEABLE && response.body.kind === 'single' && !response.body.singleResult.errors;
          response.http.headers.set('cache-control', storable ? cacheControlValue(policy) : UNCACHEABLE);
        },
      };
    },
  };
}
