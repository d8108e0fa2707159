// The GraphiQL playground at GET /graphql for browsers. Public API for the composition root:
// createPlayground() gives a wrapper for the /graphql route (HTML-preferring GET/HEAD → the page,
// everything else → the GraphQL handler untouched) and the bundle's asset routes.
import type { RouteHandler } from '../router.ts';
import { loadGraphiqlAssets } from './assets.ts';
import { prefersHtml } from './negotiate.ts';
import { renderNotBuiltPage, renderPlaygroundPage, sendHtml } from './page.ts';

/**
 * The sandbox's all-scopes demo key (src/sandbox/api-keys.ts; gateway code does not import the
 * sandbox). Pre-filled in sandbox mode only, so a newcomer's first click returns data; against a
 * real PharmaOne the headers editor starts empty and no key is ever written into the page.
 */
export const SANDBOX_DEMO_HEADERS = '{"apikey": "sandbox-org1-key"}';

export interface PlaygroundOptions {
  /** Sandbox mode (PHARMAONE_BASE_URL unset): pre-fill the demo key. */
  sandbox: boolean;
  /** The GraphQL endpoint's path. */
  endpoint?: string;
  /** Where the built bundle is; defaults to dist/graphiql/. */
  distDir?: string;
  /** Told once at start-up when the bundle is missing. */
  warn?: (message: string) => void;
}

export interface Playground {
  /** `/graphql`'s handler with the page in front of it. */
  wrap(graphql: RouteHandler): RouteHandler;
  /** `/graphiql/assets/…` routes for the route table (none when the bundle is not built). */
  routes: Record<string, RouteHandler>;
  /** False when dist/graphiql/ is missing: browsers get a page saying how to build it. */
  built: boolean;
}

export async function createPlayground(options: PlaygroundOptions): Promise<Playground> {
  const assets = await loadGraphiqlAssets(options.distDir);
  const html = assets
    ? renderPlaygroundPage(assets.manifest, {
        endpoint: options.endpoint ?? '/graphql',
        headers: options.sandbox ? SANDBOX_DEMO_HEADERS : '',
      })
    : renderNotBuiltPage();
  if (!assets) (options.warn ?? console.warn)('GraphiQL bundle not found (run `npm run build:graphiql`); browsers get a page saying so.');
  return {
    built: assets !== null,
    routes: assets?.routes ?? {},
    wrap: (graphql) => (req, res) => {
      if ((req.method === 'GET' || req.method === 'HEAD') && prefersHtml(req.headers.accept)) {
        sendHtml(res, assets ? 200 : 503, html, req.method === 'HEAD');
        return;
      }
      return graphql(req, res);
    },
  };
}
