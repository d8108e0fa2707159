// The upstream route table: one entry per PharmaOne operation, keyed by the OpenAPI file's method
// and path template (schema/pharmaone.openapi.yaml `paths`), and the only place in the gateway that
// writes a route down. Everything about a route follows from its entry: the client method that
// calls it (pharmaone-client.ts, named by the entry's OpenAPI operationId, its arguments and answer
// typed from the generated `paths`), how its URL is built (every path value checked against the id
// grammar and encoded as one segment), the scope its token must hold, its label in metrics, logs
// and traces, whether it may be retried, and the shape its answer is checked against
// (response-shape.ts). Code elsewhere names a route by its operationId (ROUTE_BY_OPERATION.getOrder),
// and the SDL's `@upstream` by its reference (referenceOf). test/contract/client-routes.test.ts fails
// when this table and the OpenAPI file disagree; test/architecture/route-names.test.ts when a route
// is written down anywhere else in src/.
import type { operations, paths } from '../generated/pharmaone-rest.ts';
import { upstreamId } from './upstream-ids.ts';
import { InvalidUpstreamInputError } from './upstream-errors.ts';

type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** `METHOD /openapi/path/template`, e.g. `GET /api/v2/public/orgs/{org}/orders/{id}`. */
export type RouteKey = {
  [P in keyof paths]: { [M in HttpMethod]: paths[P][Lowercase<M>] extends { responses: unknown } ? `${M} ${P}` : never }[HttpMethod];
}[keyof paths];

/** What an entry states; its label and URL template follow from its key. */
interface RouteEntry {
  /** The contract's operationId: the client method's name, and how other code names the route. */
  operation: keyof operations;
  /** `jwt`: the org's token (§1 exchange); `apikey`: the integration key itself (Kong, shop proxy). */
  auth: 'jwt' | 'apikey';
  /** The token scope a JWT route needs (refused locally without it); null for API-key routes. */
  scope: string | null;
  /** `read` may be retried (GETs, the token exchange); `write` is sent exactly once. */
  retry: 'read' | 'write';
  /** `manager`: PHARMAONE_BASE_URL; `shop`: PHARMAONE_SHOP_URL_TEMPLATE with `{shopId}`. */
  host: 'manager' | 'shop';
  /** Query parameters that carry ids: the id grammar applies to them too. */
  idQuery: readonly string[];
  /** Paginated list (`{data, pagination}`): never more rows than the `limit` asked for pass on. */
  paged: boolean;
  /** What a 404 of this route says is missing, e.g. "Order". */
  subject?: string;
}

export interface RouteSpec extends RouteEntry {
  /** Route template for metrics, logs and traces (no ids, no query), e.g. `GET /orders/{id}`. */
  label: string;
}

const read = { auth: 'jwt', retry: 'read', host: 'manager', idQuery: [], paged: false } as const;
const write = { auth: 'jwt', retry: 'write', host: 'manager', idQuery: [], paged: false } as const;
const list = (scope: string) => ({ ...read, scope, idQuery: ['shop_id'], paged: true }) as const;

const TABLE = {
  'POST /api/v2/public/orgs/{org}/auth/token': { ...read, operation: 'exchangeToken', auth: 'apikey', scope: null, subject: 'Org' },
  'GET /api/v2/public/orgs/{org}/shops': { ...read, operation: 'listShops', scope: 'shops:read' },
  'GET /api/v2/public/orgs/{org}/orders': { ...list('orders:read'), operation: 'listOrders' },
  'GET /api/v2/public/orgs/{org}/orders/{id}': { ...read, operation: 'getOrder', scope: 'orders:read', subject: 'Order' },
  'PATCH /api/v2/public/orgs/{org}/orders/{id}/status': {
    ...write,
    operation: 'updateOrderStatus',
    scope: 'orders:write',
    subject: 'Order',
  },
  'POST /api/v2/public/orgs/{org}/order-requests': { ...write, operation: 'createOrderRequest', scope: 'orders:write' },
  'GET /api/v2/public/orgs/{org}/prescriptions': { ...list('prescriptions:read'), operation: 'listPrescriptions' },
  'POST /api/v2/public/orgs/{org}/prescriptions': { ...write, operation: 'ingestPrescription', scope: 'prescriptions:write' },
  'GET /api/v2/public/orgs/{org}/inventory': { ...list('inventory:read'), operation: 'listInventory' },
  'GET /api/v2/public/orgs/{org}/products': { ...list('products:read'), operation: 'listProducts' },
  'GET /api/v2/public/orgs/{org}/reports/dashboard': { ...read, operation: 'getDashboardStats', scope: 'reports:read' },
  'GET /api/v2/public/orgs/{org}/reports/product-performance': { ...read, operation: 'getProductPerformance', scope: 'reports:read' },
  'POST /api/v1/public/orgs/{org}/order-requests': { ...write, operation: 'createOrderRequestV1', auth: 'apikey', scope: null },
  'POST /api/v1/external-order': { ...write, operation: 'submitExternalOrder', auth: 'apikey', scope: null, host: 'shop' },
} as const satisfies Record<RouteKey, RouteEntry>;

type Table = typeof TABLE;

/** The operationIds of the table's routes. */
export type OperationId = Table[RouteKey]['operation'];

/** The route an operationId names. */
export type RouteOf<O extends OperationId> = { [K in RouteKey]: Table[K]['operation'] extends O ? K : never }[RouteKey];

/** The Manager API's org base: Manager routes are labelled, and referenced in the SDL, relative to it. */
const MANAGER_BASE = '/api/v2/public/orgs/{org}';
/** The org's segment in other API versions' paths, which labels leave out as the Manager base's labels do. */
const ORG_SEGMENT = '/public/orgs/{org}';

/**
 * How the SDL's `@upstream(route:)` names a route: its method and path, relative to the Manager
 * base when under it (`GET /orders/{id}`, `POST /api/v1/external-order`).
 */
export function referenceOf(key: RouteKey): string {
  const path = key.slice(key.indexOf(' ') + 1);
  return `${methodOf(key)} ${path.startsWith(MANAGER_BASE) ? path.slice(MANAGER_BASE.length) : path}`;
}

/** The label: the reference without the org segment, and `{shop}` before a shop route's path. */
function labelOf(key: RouteKey, entry: RouteEntry): string {
  const reference = referenceOf(key).replace(ORG_SEGMENT, '');
  const space = reference.indexOf(' ');
  return `${reference.slice(0, space + 1)}${entry.host === 'shop' ? '{shop}' : ''}${reference.slice(space + 1)}`;
}

const routeKeys = Object.keys(TABLE) as RouteKey[];

/** Every route's entry with its label. */
export const ROUTES = Object.fromEntries(routeKeys.map((key) => [key, { ...TABLE[key], label: labelOf(key, TABLE[key]) }])) as {
  readonly [K in RouteKey]: Table[K] & { readonly label: string };
};

/** Route keys by operationId: how code outside this file names a route. */
export const ROUTE_BY_OPERATION = Object.fromEntries(routeKeys.map((key) => [TABLE[key].operation, key])) as {
  readonly [O in OperationId]: RouteOf<O>;
};

const BY_REFERENCE: ReadonlyMap<string, RouteKey> = new Map(routeKeys.map((key) => [referenceOf(key), key]));

/** The route an SDL `@upstream` reference names, or undefined when it names none. */
export function routeReferenced(reference: string): RouteKey | undefined {
  return BY_REFERENCE.get(reference);
}

type PathOf<K extends RouteKey> = K extends `${string} ${infer P extends keyof paths}` ? P : never;
type MethodOf<K extends RouteKey> = K extends `${infer M extends HttpMethod} ${string}` ? Lowercase<M> : never;
type OperationOf<K extends RouteKey> = paths[PathOf<K>][MethodOf<K>];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of a route's success answer (200, or 201 for creations), from the generated types. */
export type ResponseOf<K extends RouteKey> =
  OperationOf<K> extends { responses: infer R }
    ? R extends { 200: infer Ok }
      ? JsonOf<Ok>
      : R extends { 201: infer Created }
        ? JsonOf<Created>
        : never
    : never;

/** A route's query parameters, from the generated types (never when it takes none). */
export type QueryOf<K extends RouteKey> = OperationOf<K> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** A route's JSON request body, from the generated types (never when it takes none). */
export type BodyOf<K extends RouteKey> = OperationOf<K> extends { requestBody: infer B } ? JsonOf<B> : never;

type Placeholders<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name extends 'org'
    ? Placeholders<Rest>
    : [Name, ...Placeholders<Rest>]
  : [];

/** The names of a route's path values besides the org, in template order (`['id']`). */
export type PathParamsOf<K extends RouteKey> = Placeholders<PathOf<K>>;

/** PathParamsOf at run time. */
export function pathParamsOf(key: RouteKey): readonly string[] {
  return templateOf(key).names.filter((name) => name !== 'org');
}

const SUBJECTS: ReadonlyMap<string, string> = new Map(
  Object.values(ROUTES as Record<RouteKey, RouteSpec>).flatMap((spec) => (spec.subject ? [[spec.label, spec.subject] as const] : [])),
);

/** What a route (by its label, as failures carry it) says is missing on a 404, if it names one. */
export function subjectOfRoute(label: string): string | undefined {
  return SUBJECTS.get(label);
}

export function methodOf(key: RouteKey): HttpMethod {
  return key.slice(0, key.indexOf(' ')) as HttpMethod;
}

export interface UrlTargets {
  baseUrl: string;
  /** PHARMAONE_SHOP_URL_TEMPLATE, `{shopId}` substituted; undefined when not configured. */
  shopUrlTemplate: string | undefined;
}

export interface RouteUrlInput {
  /** Values of the template's `{name}` placeholders (and `shopId` for shop-host routes). */
  params: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined> | undefined;
}

/** The longest free-text query value sent upstream (search terms, status names). */
export const MAX_QUERY_TEXT_LENGTH = 200;

/**
 * The one URL builder. Every path value and id-valued query parameter must match the id grammar
 * (InvalidUpstreamInputError otherwise, before anything is sent); each becomes exactly one
 * percent-encoded segment, so no value can add, remove or climb path segments.
 */
export function buildRouteUrl(key: RouteKey, targets: UrlTargets, input: RouteUrlInput): RouteUrl {
  const { spec, literals, names } = templateOf(key);
  const params = input.params;
  let path = literals[0] as string;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    // The id grammar admits only characters encodeURIComponent keeps as they are (letters, digits,
    // `_`, `-`; test/unit/route-urls.test.ts holds it to that), so a checked id is its own encoding.
    path += upstreamId(name, params[name] ?? '') + (literals[i + 1] as string);
  }
  let base = targets.baseUrl;
  if (spec.host === 'shop') {
    if (!targets.shopUrlTemplate) throw new ShopProxyNotConfiguredError();
    const shopId = encodeURIComponent(upstreamId('shopId', params.shopId ?? ''));
    base = targets.shopUrlTemplate.replaceAll('{shopId}', shopId);
  }
  // Most calls (order details, shops, dashboards) have no query: no URLSearchParams for them.
  const query = input.query === undefined ? '' : queryText(spec, input.query);
  const url = `${base}${path}${query ? `?${query}` : ''}`;
  const known = spec.host === 'manager' ? baseOf(base) : undefined;
  if (known) return { url, origin: known.origin, path: `${known.path}${path}${query ? `?${query}` : ''}` };
  const parsed = new URL(url);
  return { url, origin: parsed.origin, path: parsed.pathname + parsed.search };
}

/** Names and values URLSearchParams writes as they are (no percent-encoding, no `+`). */
const VERBATIM = /^[A-Za-z0-9*._-]*$/;

/**
 * The query string, as URLSearchParams writes it. Numbers, ids and plain words (a page's limit and
 * offset, a status) are written as they are without building one; anything else goes through it.
 */
function queryText(spec: RouteSpec, query: Record<string, string | number | boolean | undefined>): string {
  let text = '';
  let verbatim = true;
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined) continue;
    const valueText = String(value);
    if ((spec.idQuery as readonly string[]).includes(name)) upstreamId(name, valueText);
    else if (valueText.length > MAX_QUERY_TEXT_LENGTH) throw new InvalidUpstreamInputError({ argument: name, rule: 'text' });
    // A safe integer (a page's limit and offset) is written in digits and `-`: verbatim.
    verbatim &&= VERBATIM.test(name) && (Number.isSafeInteger(value) || VERBATIM.test(valueText));
    text += `${text === '' ? '' : '&'}${name}=${valueText}`;
  }
  if (verbatim) return text;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
  return search.toString();
}

export interface RouteUrl {
  url: string;
  /** `new URL(url).origin`: where the request goes (and the breaker's key). */
  origin: string;
  /** `pathname + search` of the URL: the request target, and what traces record. */
  path: string;
}

/** A route template cut at its `{name}` placeholders (`literals` around `names`), with its entry: once per route. */
type Template = { spec: RouteSpec; literals: string[]; names: string[] };
const templates = new Map<RouteKey, Template>();

function templateOf(key: RouteKey): Template {
  let template = templates.get(key);
  if (!template) {
    const parts = key.slice(key.indexOf(' ') + 1).split(/\{([^}]+)\}/);
    const [literals, names] = [parts.filter((_, i) => i % 2 === 0), parts.filter((_, i) => i % 2 === 1)];
    template = { spec: ROUTES[key] as RouteSpec, literals, names };
    templates.set(key, template);
  }
  return template;
}

/** Base URLs whose origin and path are known (`null`: not plain, parse every URL). */
const bases = new Map<string, { origin: string; path: string } | null>();

/**
 * The origin of PHARMAONE_BASE_URL and the path it puts before a route's path, found once per
 * base URL instead of a `new URL()` per call. It holds when the base is a plain http(s) URL without query or fragment:
 * everything after it is then `/`-separated segments of the id grammar and fixed template text
 * (nothing the URL parser encodes or resolves as a dot segment) and a URLSearchParams query
 * (nothing it encodes either), so the parser keeps them as written after the base's own path.
 */
function baseOf(baseUrl: string): { origin: string; path: string } | null {
  let known = bases.get(baseUrl);
  if (known === undefined) {
    known = null;
    try {
      const probe = new URL(`${baseUrl}/p`);
      const plain = (probe.protocol === 'http:' || probe.protocol === 'https:') && !/[?#]/.test(baseUrl);
      if (plain && probe.search === '' && probe.hash === '' && probe.pathname.endsWith('/p')) {
        known = { origin: probe.origin, path: probe.pathname.slice(0, -2) };
      }
    } catch {
      // An invalid base URL: the per-call parse reports it as before.
    }
    if (bases.size >= 64) bases.clear();
    bases.set(baseUrl, known);
  }
  return known;
}

/** PHARMAONE_SHOP_URL_TEMPLATE is unset, so there is no shop proxy to send §8 orders to. */
export class ShopProxyNotConfiguredError extends Error {
  constructor() {
    super('The shop proxy URL template (PHARMAONE_SHOP_URL_TEMPLATE) is not configured.');
    this.name = 'ShopProxyNotConfiguredError';
  }
}
