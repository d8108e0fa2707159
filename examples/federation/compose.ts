// Composes the supergraph offline with @theguild/federation-composition (MIT): the PharmaOne
// subgraph's committed SDL (schema.subgraph.graphql) and the example deliveries subgraph.
//   npm run -s federation:compose -- [pharmaoneUrl] [deliveriesUrl] > supergraph.graphql
// Errors fail the run. (This composer reports errors only; it has no hints.)
import { readFileSync } from 'node:fs';
import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { deliveriesSdl } from './deliveries/subgraph.ts';

export const pharmaoneSubgraphSdl = readFileSync(new URL('../../schema.subgraph.graphql', import.meta.url), 'utf8');

export interface SubgraphSource {
  name: string;
  url: string;
  sdl: string;
}

export interface Supergraph {
  /** What a router loads: every subgraph's types with their join__ directives. */
  supergraphSdl: string;
  /** The graph clients of the router see. */
  publicSdl: string;
}

export function composeSupergraph(subgraphs: readonly SubgraphSource[]): Supergraph {
  const result = composeServices(subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) })));
  if (compositionHasErrors(result)) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, publicSdl: result.publicSdl };
}

/** PharmaOne and the example deliveries subgraph, at the given URLs. */
export function composeExample(urls: { pharmaone: string; deliveries: string }): Supergraph {
  return composeSupergraph([
    { name: 'pharmaone', url: urls.pharmaone, sdl: pharmaoneSubgraphSdl },
    { name: 'deliveries', url: urls.deliveries, sdl: deliveriesSdl },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { supergraphSdl } = composeExample({
    pharmaone: process.argv[2] ?? 'http://127.0.0.1:4101/graphql',
    deliveries: process.argv[3] ?? 'http://127.0.0.1:4102/',
  });
  process.stdout.write(supergraphSdl);
}
