// Each PharmaOne route is written down once, in the route table (src/upstream/routes.ts); every
// other file of the gateway names it by its operationId (ROUTE_BY_OPERATION.getOrder) and takes
// its URL, label, scope and reference from the table. This test reads every string and template
// literal of src/ (comments are prose and may mention routes) and fails on one that names a route
// anywhere but the table: its key, its OpenAPI path, its label or its SDL reference, with ids
// written as `{name}`, as `${…}` or left to a concatenation ('/orders/' + id).
// Not read: src/generated/ (generated from the OpenAPI file and the SDL), src/sandbox/ (the
// stand-in PharmaOne, which serves its own routes and imports nothing of the gateway), and the SDL,
// whose `@upstream` references are resolved against the table when the estimate reads them
// (test/hardening/edge-upstream-cost.test.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript5';
import { describe, expect, it } from 'vitest';
import { referenceOf, ROUTES } from '../../src/upstream/routes.ts';
import type { RouteKey } from '../../src/upstream/routes.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TABLE = 'src/upstream/routes.ts';
const NOT_READ = ['src/generated/', 'src/sandbox/'];

/** What a template's `${…}` and a concatenation's missing end are read as: a value, like `{id}`. */
const HOLE = '{}';

/** Every string literal of a file, templates with their holes as `{}`. */
function literalsOf(source: string): string[] {
  const file = ts.createSourceFile('file.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) {
      found.push(node.head.text + node.templateSpans.map((span) => HOLE + span.literal.text).join(''));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
/** A path template as a pattern: each `{name}` stands for any value or hole. */
const pathPattern = (template: string) =>
  template
    .split(/\{[^}]*\}/)
    .map(escapeRegExp)
    .join('\\{[^}]*\\}');

interface Needle {
  route: RouteKey;
  method: string;
  pattern: RegExp;
}

/**
 * The ways a literal can write a route's path: its OpenAPI path, its path relative to the Manager
 * base (the SDL reference) and its label's path, each also cut just before a value after the org
 * (what `'/orders/' + id` leaves in the literal).
 */
function needlesOf(route: RouteKey): Needle[] {
  const [method = '', path = ''] = route.split(' ');
  const label = ROUTES[route].label.slice(method.length + 1).replace('{shop}', '');
  const reference = referenceOf(route).slice(method.length + 1);
  const forms = new Set<string>();
  for (const form of [path, reference, label]) {
    forms.add(`${pathPattern(form)}(?![\\w-]|/[\\w{-])`);
    for (const match of form.matchAll(/\{(?!org\})[^}]*\}/g)) forms.add(`${pathPattern(form.slice(0, match.index))}$`);
  }
  return [...forms].map((form) => ({ route, method, pattern: new RegExp(form, 'g') }));
}

const NEEDLES = (Object.keys(ROUTES) as RouteKey[]).flatMap(needlesOf);

/**
 * The routes a literal names. Where one written path lies inside a longer one, the longer names
 * the route (`/api/v1/public/orgs/{org}/order-requests` is not also `/order-requests`); a method
 * written just before the path narrows it to that method's route.
 */
function routesNamedBy(literal: string): RouteKey[] {
  const matches = NEEDLES.flatMap((needle) =>
    [...literal.matchAll(needle.pattern)].map((match) => ({ ...needle, start: match.index, end: match.index + match[0].length })),
  );
  const named = matches.filter((m) => {
    const inside = matches.some((o) => o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start);
    const method = /\b(GET|POST|PATCH|PUT|DELETE) $/.exec(literal.slice(0, m.start))?.[1];
    return !inside && (method === undefined || method === m.method);
  });
  return [...new Set(named.map((m) => m.route))].sort();
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return NOT_READ.includes(`${path}/`) ? [] : sourceFiles(path);
    return /\.[cm]?[jt]sx?$/.test(entry.name) ? [path] : [];
  });
}

describe('the route-name reader', () => {
  it.each<[string, string[]]>([
    [`const key = 'GET /api/v2/public/orgs/{org}/orders/{id}';`, ['GET /api/v2/public/orgs/{org}/orders/{id}']],
    [`const label = 'GET /orders/{id}';`, ['GET /api/v2/public/orgs/{org}/orders/{id}']],
    [`const url = \`\${base}/orders/\${encodeURIComponent(id)}\`;`, ['GET /api/v2/public/orgs/{org}/orders/{id}']],
    [
      `const url = base + '/orders/' + id;`,
      ['GET /api/v2/public/orgs/{org}/orders/{id}', 'PATCH /api/v2/public/orgs/{org}/orders/{id}/status'],
    ],
    [`const list = \`/api/v2/public/orgs/\${org}/orders?limit=\${n}\`;`, ['GET /api/v2/public/orgs/{org}/orders']],
    [`const shared = 'ORG GET /shops';`, ['GET /api/v2/public/orgs/{org}/shops']],
    [`const v1 = 'POST /api/v1/public/orgs/{org}/order-requests';`, ['POST /api/v1/public/orgs/{org}/order-requests']],
    [`const v1 = 'POST /api/v1/order-requests';`, ['POST /api/v1/public/orgs/{org}/order-requests']],
    [`const v2 = 'POST /order-requests';`, ['POST /api/v2/public/orgs/{org}/order-requests']],
    [`const ingest = 'POST /prescriptions';`, ['POST /api/v2/public/orgs/{org}/prescriptions']],
    [`const either = '/prescriptions';`, ['GET /api/v2/public/orgs/{org}/prescriptions', 'POST /api/v2/public/orgs/{org}/prescriptions']],
    [`const shop = \`\${proxy}/api/v1/external-order\`;`, ['POST /api/v1/external-order']],
    [`throw new MissingScopeError('GET /reports/dashboard', 'reports:read');`, ['GET /api/v2/public/orgs/{org}/reports/dashboard']],
    [`// GET /orders/{id}, one per order\n/** GET /shops */ const n = 1;`, []],
    [`const other = ['/orders-archive', '/ordersX', '/graphql', '/api/v2/public/orgs/{org}', 'orders:read'];`, []],
    [`const deeper = '/orders/{id}/items';`, []],
  ])('reads the routes named in %j', (source, expected) => {
    expect(literalsOf(source).flatMap(routesNamedBy).sort()).toEqual([...expected].sort());
  });
});

describe('route names in src/', () => {
  const files = sourceFiles('src');
  const namedIn = new Map<RouteKey, Set<string>>();
  for (const file of files) {
    for (const literal of literalsOf(readFileSync(join(root, file), 'utf8'))) {
      for (const route of routesNamedBy(literal)) namedIn.set(route, (namedIn.get(route) ?? new Set()).add(file));
    }
  }

  it('reads the gateway, not the generated code or the sandbox', () => {
    expect(files).toContain(TABLE);
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((file) => NOT_READ.some((folder) => file.startsWith(folder)))).toEqual([]);
  });

  it('finds every route in the route table (so the rule below cannot pass vacuously)', () => {
    const missing = (Object.keys(ROUTES) as RouteKey[]).filter((route) => !namedIn.get(route)?.has(TABLE));
    expect(missing).toEqual([]);
  });

  it('names each route in the route table only: elsewhere by operationId', () => {
    const elsewhere = [...namedIn].flatMap(([route, where]) =>
      [...where].filter((file) => file !== TABLE).map((file) => `${file}: ${route}`),
    );
    expect(elsewhere).toEqual([]);
  });
});
