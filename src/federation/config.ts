// FEDERATION_SUBGRAPH: serve the graph as a Federation 2 subgraph (`_service`, `_entities`) for a
// supergraph router. Off by default: a standalone gateway exposes neither field.
import type { EnvReader } from '../config/env.ts';

export interface FederationConfig {
  subgraph: boolean;
}

export function readFederationConfig(read: EnvReader): FederationConfig {
  return { subgraph: read.bool('FEDERATION_SUBGRAPH', false) };
}
