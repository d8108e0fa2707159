// Limits every operation must pass before it may cost a single PharmaOne call. Defaults are the
// production defaults (README "Query safety"); each can be changed by environment variable.
type Env = Record<string, string | undefined>;

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

export function loadQueryLimits(env: Env): QueryLimits {
  const production = env.NODE_ENV === 'production';
  return {
    maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 12),
    maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30),
    maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 10),
    maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2_000),
    maxDocumentBytes: int(env, 'GRAPHQL_MAX_DOCUMENT_BYTES', 20_000),
    upstreamCallBudget: int(env, 'UPSTREAM_CALL_BUDGET', 300),
    assumedShopsPerOrg: int(env, 'UPSTREAM_BUDGET_SHOPS_PER_ORG', 5),
    introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
    fieldSuggestions: bool(env, 'GRAPHQL_FIELD_SUGGESTIONS', !production),
  };
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}
