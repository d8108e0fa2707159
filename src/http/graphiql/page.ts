// The playground's HTML page. It names the bundle's script and stylesheet, carries the page's
// settings as a JSON data block (not a script: the policy allows no inline script), and is sent
// with a Content-Security-Policy that lets the page reach nothing but this gateway.
import type { ServerResponse } from 'node:http';
import { ASSETS_PATH } from './assets.ts';
import type { GraphiqlManifest } from './assets.ts';

/**
 * Everything from this origin only: no CDN could serve a script, style, font or worker, nor
 * could the page send a request elsewhere. `style-src 'unsafe-inline'` is the one relaxation:
 * Monaco writes its theme and layout as <style> elements at run time and supports no nonce.
 * Fonts are the bundle's files or data: URLs inlined in GraphiQL's stylesheet.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the page's script reads from its JSON data block (graphiql/main.tsx). */
export interface PlaygroundSettings {
  endpoint: string;
  /** The headers editor's initial content. */
  headers: string;
}

/** JSON safe inside <script>: `<` is escaped so no value can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderPlaygroundPage(manifest: GraphiqlManifest, settings: PlaygroundSettings): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>PharmaOne GraphQL playground</title>
    <!-- No icon: otherwise the browser asks for /favicon.ico, which the gateway does not serve. -->
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${ASSETS_PATH}${manifest.stylesheet}" />
    <script type="application/json" id="graphiql-config">${jsonForScript(settings)}</script>
    <script type="module" src="${ASSETS_PATH}${manifest.script}"></script>
  </head>
  <body>
    <div id="graphiql"><noscript>The playground needs JavaScript.</noscript></div>
  </body>
</html>
`;
}

export function renderNotBuiltPage(): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>PharmaOne GraphQL playground</title></head>
  <body>
    <h1>The playground is not built</h1>
    <p>Run <code>npm run build:graphiql</code> (<code>npm start</code> runs it too) and restart the gateway.
    The GraphQL endpoint itself works: POST your queries to this URL.</p>
  </body>
</html>
`;
}

export function sendHtml(res: ServerResponse, status: number, html: string, head: boolean): void {
  const body = Buffer.from(html);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    'content-security-policy': PLAYGROUND_CSP,
    // The page's settings depend on the gateway's mode; never serve a stale one from a cache.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Responses for /graphql differ by Accept (page or GraphQL); caches must key on it.
    vary: 'accept',
  });
  res.end(head ? undefined : body);
}
