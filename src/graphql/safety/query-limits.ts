// Limits every operation must pass before it may cost a single PharmaOne call. Defaults are the
// production defaults (README "Query safety"); each can be changed by environment variable.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { EnvReader } from '../../config/env.ts';

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
  };
}

/**
 * Depth, aliases and directives refused during validation, before any call: the same rules for
 * every transport (POST /graphql and the live feed's WebSocket and SSE).
 */
export function queryLimitArmor(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    // graphql-js counts tokens while parsing (parse options), cleaner than a second parse.
    maxTokens: { enabled: false },
    // Suggestions are removed from every message (not only validation's) by formatClientMistakes.
    blockFieldSuggestion: { enabled: false },
    costLimit: { enabled: false }, // replaced by the upstream-call budget, which knows PharmaOne's costs
  }).protect();
}
