// A tiny method + path-template router: "/api/v2/public/orgs/{org}/orders/{id}" matches one
// segment per {param}. A known path with the wrong method is a 405 (with Allow), not a 404.

export interface Routable {
  method: string;
  path: string;
}

export type RouteMatch<R extends Routable> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

interface CompiledRoute<R> {
  route: R;
  segments: string[];
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(template: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (template.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i] as string;
    const segment = actual[i] as string;
    if (expected.startsWith('{') && expected.endsWith('}')) params[expected.slice(1, -1)] = decodeSegment(segment);
    else if (expected !== segment) return undefined;
  }
  return params;
}

export function createRouter<R extends Routable>(routes: readonly R[]): (method: string, path: string) => RouteMatch<R> {
  const compiled: CompiledRoute<R>[] = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  return (method, path) => {
    const actual = splitPath(path);
    const allow: string[] = [];
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, actual);
      if (params === undefined) continue;
      if (route.method === method) return { kind: 'found', route, params };
      if (!allow.includes(route.method)) allow.push(route.method);
    }
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' };
  };
}
