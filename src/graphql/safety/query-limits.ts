// Limits every operation must pass before it may cost a single PharmaOne call. Defaults are the
// production defaults (docs/security.md, "Query safety"; docs/configuration.md); each can be changed by environment variable.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { DirectiveNode, FieldNode, ValidationContext, ValidationRule } from 'graphql';
import type { EnvReader } from '../../config/env.ts';
import { gatewayPart } from '../admission-policy.ts';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Bytes of GraphQL document text. */
  maxDocumentBytes: number;
  /** Most PharmaOne calls one operation may make: estimated before, counted during execution. */
  upstreamCallBudget: number;
  /** For the estimate: shops assumed per org where lookups run per shop. */
  assumedShopsPerOrg: number;
  introspection: boolean;
  /** "Did you mean …?" hints in validation errors, which map the schema for an attacker. */
  fieldSuggestions: boolean;
  /** Operations one POST may carry as a JSON array (Apollo Client's BatchHttpLink); 0: batching off. */
  maxBatchOperations: number;
  /** @defer and @stream directives one document may hold. */
  maxDeferred: number;
  /** Parts one incrementally delivered answer may have (the first included); the last one sent says it was cut. */
  maxIncrementalParts: number;
}

/** Reads the limits through the gateway's one environment parser (src/config/env.ts). */
export function readQueryLimits(read: EnvReader): QueryLimits {
  // No upper bounds: an operator may loosen a limit as far as they like, never to 0.
  const count = (name: string, fallback: number) => read.int(name, { fallback, min: 1, max: Number.MAX_SAFE_INTEGER });
  return {
    maxDepth: count('GRAPHQL_MAX_DEPTH', 12),
    maxAliases: count('GRAPHQL_MAX_ALIASES', 30),
    maxDirectives: count('GRAPHQL_MAX_DIRECTIVES', 10),
    maxTokens: count('GRAPHQL_MAX_TOKENS', 2_000),
    maxDocumentBytes: read.bytes('GRAPHQL_MAX_DOCUMENT_BYTES', { fallback: 20_000, min: 1, max: Number.MAX_SAFE_INTEGER }),
    upstreamCallBudget: count('UPSTREAM_CALL_BUDGET', 300),
    assumedShopsPerOrg: count('UPSTREAM_BUDGET_SHOPS_PER_ORG', 5),
    introspection: read.bool('GRAPHQL_INTROSPECTION', !read.production),
    fieldSuggestions: read.bool('GRAPHQL_FIELD_SUGGESTIONS', !read.production),
    // BatchHttpLink's own default batchMax; the whole batch shares one upstream-call budget.
    maxBatchOperations: read.int('GRAPHQL_BATCH_MAX', { fallback: 10, min: 0, max: 100 }),
    maxDeferred: count('GRAPHQL_MAX_DEFERRED', 5),
    // @stream sends each later item in a part of its own: 45 orders streamed from the 5th are 41 parts.
    maxIncrementalParts: read.int('GRAPHQL_INCREMENTAL_MAX_PARTS', { fallback: 100, min: 2, max: 100_000 }),
  };
}

/**
 * Depth, aliases and directives (graphql-armor, one protection each so each keeps its own name), and
 * introspection when it is off: validation rules beside graphql-js's own, the same for every
 * transport (src/graphql/admission.ts).
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const rules = [
    named('depth-limit', armorRule({ maxDepth: { n: limits.maxDepth } })),
    named('alias-limit', armorRule({ maxAliases: { n: limits.maxAliases } })),
    named('directive-limit', armorRule({ maxDirectives: { n: limits.maxDirectives } })),
    named('deferred-limit', deferredLimit(limits.maxDeferred)),
  ];
  return limits.introspection ? rules : [...rules, named('introspection', noIntrospection)];
}

const ARMOR_OFF = {
  maxDepth: { enabled: false },
  maxAliases: { enabled: false },
  maxDirectives: { enabled: false },
  // graphql-js counts tokens while parsing (parse options), cleaner than a second parse.
  maxTokens: { enabled: false },
  // Suggestions are removed from every message (not only validation's) by formatClientMistakes.
  blockFieldSuggestion: { enabled: false },
  costLimit: { enabled: false }, // replaced by the upstream-call budget, which knows PharmaOne's costs
} as const;

/** The one validation rule of an armor with only this protection on. */
function armorRule(protection: ConstructorParameters<typeof ApolloArmor>[0]): ValidationRule {
  const { validationRules } = new ApolloArmor({ ...ARMOR_OFF, ...protection }).protect();
  if (validationRules.length !== 1) throw new Error('graphql-armor: expected one validation rule per protection');
  return validationRules[0] as ValidationRule;
}

/** A rule of its own (graphql-armor's are anonymous), named for APOLLO_PARTS. */
function named(name: string, rule: ValidationRule): ValidationRule {
  return gatewayPart(name, (context: ValidationContext) => rule(context));
}

/**
 * Introspection off (production): `__schema` and `__type` anywhere in the document refuse it.
 * The gateway's own rule, not Apollo's, so that the feed's transports refuse with the same words
 * (and no runtime's name in them).
 */
function noIntrospection(context: ValidationContext) {
  return {
    Field(node: FieldNode) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return;
      context.reportError(new GraphQLError('Introspection is turned off on this gateway (GRAPHQL_INTROSPECTION).', { nodes: [node] }));
    },
  };
}

/**
 * At most `max` @defer and @stream in a document: each deferred fragment or stream is work the
 * gateway keeps open after the first part, and (inside a list) once per item. Counted over the
 * whole document, whatever `if` says, so the verdict does not depend on the variables.
 */
function deferredLimit(max: number): ValidationRule {
  return (context: ValidationContext) => {
    let found = 0;
    return {
      Directive(node: DirectiveNode) {
        if (node.name.value !== 'defer' && node.name.value !== 'stream') return;
        found++;
        if (found === max + 1) {
          context.reportError(
            new GraphQLError(`The document holds more than ${max} @defer/@stream directives (GRAPHQL_MAX_DEFERRED).`, { nodes: [node] }),
          );
        }
      },
    };
  };
}
