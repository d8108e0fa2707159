// The executable schema: the SDL (./sdl-files.ts: shared blocks in ./base.graphql, each domain
// module's .graphql files in src/modules/) joined with the resolver map (./resolvers.ts, one file
// per GraphQL type), every field guarded by src/graphql/field-guard.ts.
// With FEDERATION_SUBGRAPH=true the same graph is built as a Federation 2 subgraph (src/federation/);
// standalone it has no federation fields.
// The gateway-internal cost declarations (@upstream, @listSize, UpstreamCallScope) are read from
// the fields' SDL nodes and kept out of the served (and so the printed and introspected) schema.
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLSchema, Kind, parse, print, visit } from 'graphql';
import type { GraphQLFieldResolver } from 'graphql';
import { buildSubgraphGatewaySchema } from '../federation/subgraph-schema.ts';
import { guardFields } from '../graphql/field-guard.ts';
import { resolvers } from './resolvers.ts';
import { readFieldCosts } from '../graphql/safety/upstream-call-estimate.ts';
import { graphSdl } from './sdl-files.ts';

/** Directives and types of the SDL that describe PharmaOne, not the graph. */
export const INTERNAL_DIRECTIVES = new Set(['upstream', 'listSize']);
const INTERNAL_TYPES = new Set(['UpstreamCallScope']);
/**
 * Incremental delivery is a router's to offer in a federated graph (it plans the deferred parts
 * across subgraphs and never sends @defer to one), and composition defines these itself: the
 * subgraph's `_service { sdl }` leaves them out.
 */
const ROUTER_OWNED_DIRECTIVES = new Set(['defer', 'stream']);

export function buildGatewaySchema(mode: { federationSubgraph?: boolean } = {}): GraphQLSchema {
  // Every field: an unrepresentable value fails only that field, naming it, never the value (field-guard.ts).
  return guardFields(buildUnguardedSchema(mode));
}

/**
 * The served schema before the field guard wraps its resolvers: what buildGatewaySchema guards, and
 * what bench/scenarios/field-guard.ts measures the guard's cost against. Never served as it is.
 */
export function buildUnguardedSchema(mode: { federationSubgraph?: boolean } = {}): GraphQLSchema {
  const built = mode.federationSubgraph
    ? buildSubgraphGatewaySchema([graphSdl()], resolvers)
    : makeExecutableSchema({ typeDefs: graphSdl(), resolvers });
  if (mode.federationSubgraph) withoutInternalDeclarationsInServiceSdl(built);
  const config = built.toConfig();
  const served = new GraphQLSchema({
    ...config,
    directives: config.directives.filter((directive) => !INTERNAL_DIRECTIVES.has(directive.name)),
    types: config.types.filter((type) => !INTERNAL_TYPES.has(type.name)),
  });
  // Read once here so that an `@upstream` naming no route of the table stops the gateway at start,
  // not its first request.
  readFieldCosts(served);
  return served;
}

/**
 * A router composes `_service { sdl }`: @apollo/subgraph prints the SDL it was given, cost
 * declarations included, and those describe PharmaOne to this gateway only. Strip them there too.
 */
function withoutInternalDeclarationsInServiceSdl(schema: GraphQLSchema): void {
  const service = schema.getQueryType()?.getFields()._service;
  const resolve = service?.resolve as GraphQLFieldResolver<unknown, unknown> | undefined;
  if (!service || !resolve) return;
  let stripped: string | undefined;
  service.resolve = (...args) => {
    const answer = resolve(...args) as { sdl?: string };
    stripped ??= print(
      visit(parse(answer.sdl ?? ''), {
        [Kind.DIRECTIVE]: (node) => (INTERNAL_DIRECTIVES.has(node.name.value) ? null : undefined),
        [Kind.DIRECTIVE_DEFINITION]: (node) =>
          INTERNAL_DIRECTIVES.has(node.name.value) || ROUTER_OWNED_DIRECTIVES.has(node.name.value) ? null : undefined,
        [Kind.ENUM_TYPE_DEFINITION]: (node) => (INTERNAL_TYPES.has(node.name.value) ? null : undefined),
      }),
    );
    return { ...answer, sdl: stripped };
  };
}
