// FEDERATION_SUBGRAPH: serve the graph as a Federation 2 subgraph (`_service`, `_entities`) for a
// supergraph router. Off by default: a standalone gateway exposes neither field.
type Env = Record<string, string | undefined>;

export interface FederationConfig {
  subgraph: boolean;
}

export function readFederationConfig(env: Env): FederationConfig {
  const raw = env.FEDERATION_SUBGRAPH?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return { subgraph: false };
  if (raw === 'true' || raw === '1') return { subgraph: true };
  throw new Error(`FEDERATION_SUBGRAPH must be true or false, got "${env.FEDERATION_SUBGRAPH}"`);
}
