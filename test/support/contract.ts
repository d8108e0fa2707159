// The contract checker: every test that talks to the sandbox passes each exchange through
// expectContract, so the sandbox can never drift from schema/pharmaone.openapi.yaml unnoticed.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export interface ResponseExchange {
  method: string;
  /** URL pathname as sent to the sandbox; shop proxy paths carry the sandbox's `/shops/{shopId}` prefix. */
  path: string;
  status: number;
  body: unknown;
  /** When given, documented response headers are checked too (presence if required, and value). */
  headers?: Record<string, string | string[] | undefined>;
}

export interface RequestExchange {
  method: string;
  path: string;
  body: unknown;
}

export interface ContractOperation {
  method: string;
  /** The OpenAPI path template, e.g. `/api/v2/public/orgs/{org}/orders/{id}`. */
  path: string;
  operationId: string;
}

type Json = Record<string, unknown>;

interface PathEntry {
  template: string;
  regex: RegExp;
  literalSegments: number;
  /** Served by a shop host (path-level `servers`), which the sandbox mounts under `/shops/{shopId}`. */
  onShopHost: boolean;
  item: Json;
}

interface LoadedContract {
  doc: Json;
  paths: PathEntry[];
  validators: Map<string, ValidateFunction>;
  ajv: Ajv2020;
}

const DOC_ID = 'https://pharmaone-graph.invalid/pharmaone.openapi.yaml';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SHOP_PREFIX = /^\/shops\/[^/]+(\/.*)$/;

let loaded: LoadedContract | undefined;

function contract(): LoadedContract {
  if (loaded) return loaded;
  const text = readFileSync(new URL('../../schema/pharmaone.openapi.yaml', import.meta.url), 'utf8');
  const doc = parse(text) as Json;
  // strict: false lets the OpenAPI document itself (and its x- keywords) serve as the schema root,
  // so `#/components/schemas/...` references resolve exactly as they are written.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  ajv.addSchema(doc, DOC_ID);
  const paths = Object.entries(doc.paths as Record<string, Json>).map(([template, item]): PathEntry => {
    const segments = template.split('/');
    const pattern = segments
      .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const servers = item.servers as Json[] | undefined;
    return {
      template,
      regex: new RegExp(`^${pattern}$`),
      literalSegments: segments.filter((s) => s !== '' && !s.startsWith('{')).length,
      onShopHost: servers?.some((server) => String(server.url).includes('{shopUrl}')) ?? false,
      item,
    };
  });
  // A literal segment beats a parameter when two templates match the same path.
  paths.sort((a, b) => b.literalSegments - a.literalSegments);
  loaded = { doc, paths, validators: new Map(), ajv };
  return loaded;
}

function pointerSegment(key: string): string {
  return encodeURIComponent(key.replaceAll('~', '~0').replaceAll('/', '~1'));
}

/** Follows local `$ref`s, keeping the JSON pointer of where the value really lives. */
function resolveRef(value: Json, pointer: string): { value: Json; pointer: string } {
  const { doc } = contract();
  let current = value;
  let at = pointer;
  for (let hops = 0; typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${at}`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    let target: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      target = (target as Json | undefined)?.[key];
    }
    if (target === undefined || target === null || typeof target !== 'object') throw new Error(`unresolvable $ref ${ref}`);
    current = target as Json;
    // The $ref is already an escaped JSON pointer; it only needs URI-encoding to sit in a fragment.
    at = ref.slice(1).split('/').map(encodeURIComponent).join('/');
  }
  return { value: current, pointer: at };
}

function validatorAt(pointer: string): ValidateFunction {
  const { ajv, validators } = contract();
  let validate = validators.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

interface Match {
  entry: PathEntry;
  pointer: string;
}

function matchPath(rawPath: string): Match | undefined {
  const path = rawPath.split(/[?#]/, 1)[0] ?? rawPath;
  const { paths } = contract();
  const shopPath = SHOP_PREFIX.exec(path)?.[1];
  const entry =
    (shopPath === undefined ? undefined : paths.find((p) => p.onShopHost && p.regex.test(shopPath))) ??
    paths.find((p) => p.regex.test(path));
  return entry && { entry, pointer: `/paths/${pointerSegment(entry.template)}` };
}

function describeExchange(method: string, path: string, match: Match | undefined, operation?: Json): string {
  const upper = method.toUpperCase();
  if (!match) return `${upper} ${path}`;
  const id = typeof operation?.operationId === 'string' ? `, ${operation.operationId}` : '';
  return `${upper} ${path} (OpenAPI ${upper} ${match.entry.template}${id})`;
}

function formatErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}

function preview(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (text === undefined) return 'undefined';
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

function jsonSchemaPointer(content: unknown, ownerPointer: string): string | undefined {
  const media = (content as Json | undefined)?.['application/json'] as Json | undefined;
  return media?.schema === undefined ? undefined : `${ownerPointer}/content/${pointerSegment('application/json')}/schema`;
}

function checkJsonBody(what: string, schemaPointer: string | undefined, body: unknown): void {
  if (schemaPointer === undefined) {
    if (body !== undefined && body !== null && body !== '') {
      throw new Error(`Contract violation: ${what} documents no body, got ${preview(body)}`);
    }
    return;
  }
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new Error(`Contract violation: ${what} documents a JSON body, got non-JSON ${preview(body)}`);
    }
  }
  const validate = validatorAt(schemaPointer);
  if (!validate(value)) {
    throw new Error(
      `Contract violation: ${what} body does not match the schema:\n${formatErrors(validate.errors)}\n  body: ${preview(value)}`,
    );
  }
}

function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

function checkHeaders(what: string, response: Json, responsePointer: string, headers: ResponseExchange['headers']): void {
  if (!headers || !response.headers) return;
  for (const [name, raw] of Object.entries(response.headers as Record<string, Json>)) {
    const { value: header, pointer } = resolveRef(raw, `${responsePointer}/headers/${pointerSegment(name)}`);
    const actual = headerValue(headers, name);
    if (actual === undefined) {
      if (header.required === true) throw new Error(`Contract violation: ${what} requires header ${name}, which is missing`);
      continue;
    }
    if (header.schema === undefined) continue;
    const type = (header.schema as Json).type;
    // Header values are strings on the wire; numeric schemas describe their decimal text.
    const coerced = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(actual) ? Number(actual) : actual;
    const validate = validatorAt(`${pointer}/schema`);
    if (!validate(coerced)) {
      throw new Error(
        `Contract violation: ${what} header ${name}: ${JSON.stringify(actual)} does not match:\n${formatErrors(validate.errors)}`,
      );
    }
  }
}

/**
 * Throws unless the response is documented for this method, path and status and its JSON body (and,
 * when given, its headers) match the documented schema. An undocumented path or status throws too.
 */
export function expectContract(exchange: ResponseExchange): void {
  const { doc } = contract();
  const method = exchange.method.toLowerCase();
  const match = matchPath(exchange.path);
  if (!match) throw new Error(`Contract violation: ${exchange.method.toUpperCase()} ${exchange.path} matches no documented path`);
  const operation = match.entry.item[method] as Json | undefined;
  const what = `${describeExchange(method, exchange.path, match, operation)} → ${exchange.status}`;

  let response: { value: Json; pointer: string };
  if (!operation) {
    const responses = (doc.components as Json).responses as Json;
    if (exchange.status !== 405 || !responses.MethodNotAllowed) {
      throw new Error(`Contract violation: ${what}: the path documents no ${method.toUpperCase()}, so only 405 is allowed`);
    }
    response = resolveRef(responses.MethodNotAllowed as Json, '/components/responses/MethodNotAllowed');
  } else {
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const status = String(exchange.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
    if (key === undefined) {
      throw new Error(`Contract violation: ${what}: status not documented (documented: ${Object.keys(responses).join(', ')})`);
    }
    response = resolveRef(responses[key] as Json, `${match.pointer}/${method}/responses/${pointerSegment(key)}`);
  }
  checkJsonBody(what, jsonSchemaPointer(response.value.content, response.pointer), exchange.body);
  checkHeaders(what, response.value, response.pointer, exchange.headers);
}

/** Throws unless the request body matches the operation's documented request body. */
export function expectRequestContract(exchange: RequestExchange): void {
  const method = exchange.method.toLowerCase();
  const match = matchPath(exchange.path);
  const operation = match?.entry.item[method] as Json | undefined;
  if (!match || !operation) {
    throw new Error(`Contract violation: ${exchange.method.toUpperCase()} ${exchange.path} is not a documented operation`);
  }
  const what = `request ${describeExchange(method, exchange.path, match, operation)}`;
  if (operation.requestBody === undefined) {
    checkJsonBody(what, undefined, exchange.body);
    return;
  }
  const requestBody = resolveRef(operation.requestBody as Json, `${match.pointer}/${method}/requestBody`);
  if (exchange.body === undefined) {
    if (requestBody.value.required === true) throw new Error(`Contract violation: ${what} requires a body`);
    return;
  }
  checkJsonBody(what, jsonSchemaPointer(requestBody.value.content, requestBody.pointer), exchange.body);
}

/** Every documented operation, in document order, for coverage checks. */
export function listOperations(): ContractOperation[] {
  const { doc } = contract();
  const operations: ContractOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation) operations.push({ method: method.toUpperCase(), path: template, operationId: String(operation.operationId) });
    }
  }
  return operations;
}

/** The documented operation a concrete request maps to, or undefined. */
export function findOperation(method: string, path: string): ContractOperation | undefined {
  const match = matchPath(path);
  const operation = match?.entry.item[method.toLowerCase()] as Json | undefined;
  if (!match || !operation) return undefined;
  return { method: method.toUpperCase(), path: match.entry.template, operationId: String(operation.operationId) };
}
