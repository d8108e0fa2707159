// Persisted queries for mobile and frontend clients. Two layers:
// - Automatic persisted queries (APQ): Apollo Server's own protocol over a bounded in-memory LRU,
//   or over Redis shared by every replica (src/stores/apq-store.ts) when REDIS_URL is set.
//   A client sends only the SHA-256 of its query; an unknown hash answers PERSISTED_QUERY_NOT_FOUND
//   and the client resends query + hash once to register it.
// - The safelist (optional): an Apollo persisted-query manifest of the operations the clients were
//   built with. Its operations can be sent by id alone without registering first, and with
//   enforcement on (production) nothing else runs: any other operation is refused with
//   PERSISTED_QUERY_NOT_IN_LIST before execution, so before any PharmaOne call, on every transport
//   (the rule is src/graphql/admission.ts's).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { getOperationAST, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { EnvReader } from '../../config/env.ts';
import { textBytes } from '../document-sizes.ts';

/** PERSISTED_QUERIES_* and APQ_CACHE_MB (src/config.ts assembles every section). */
export interface PersistedQuerySettings {
  /** Bound on the summed size of the query texts APQ keeps. */
  apqCacheBytes: number;
  /** An Apollo persisted-query manifest; unset: no safelist. */
  safelistPath: string | undefined;
  /** Run only the safelist's operations. */
  enforce: boolean;
}

export function readPersistedQueries(read: EnvReader): PersistedQuerySettings {
  const safelistPath = read.file('PERSISTED_QUERIES_SAFELIST');
  const enforce = read.bool('PERSISTED_QUERIES_ENFORCE', false);
  // Enforcing an absent list would refuse every operation: a configuration mistake, not a policy.
  if (enforce && !safelistPath) read.problem('PERSISTED_QUERIES_ENFORCE=true needs PERSISTED_QUERIES_SAFELIST (a manifest path)');
  return { apqCacheBytes: read.bytes('APQ_CACHE_MB', { fallback: 16, min: 1, max: 65_536 }), safelistPath, enforce };
}

/** Error code for an operation outside an enforced safelist (Apollo Router uses the same name). */
export const PERSISTED_QUERY_NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** Error code for a documentId the safelist does not hold (Apollo's name for an unknown APQ hash too). */
export const PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface SafelistOperation {
  /** SHA-256 of `body`, lowercase hex: the same hash APQ clients send as `sha256Hash`. */
  id: string;
  body: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
}

export interface Safelist {
  readonly operations: ReadonlyMap<string, SafelistOperation>;
}

/** APQ over `cache`: by default Apollo's in-memory LRU bounded by the total size of the stored query texts. */
export function apqOptions(cache: KeyValueCache<string>): NonNullable<ApolloServerOptions<BaseContext>['persistedQueries']> {
  // No TTL from Apollo: a hash always names the same text, so only memory pressure (or the shared store's own TTL) evicts.
  return { cache, ttl: null };
}

/** The in-memory APQ store, bounded in bytes (APQ_CACHE_MB). */
export function memoryApqCache(maxBytes: number): KeyValueCache<string> {
  // Counted as the heap holds them, key and slots included: by length alone, a flood of tiny
  // texts (`{ a1: __typename }`) would hold ten times the budget.
  return new InMemoryLRUCache<string>({ maxSize: maxBytes, sizeCalculation: (text, key) => textBytes(text) + textBytes(key) + 256 });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reads and checks a manifest file; any problem stops the gateway from starting (a half-loaded safelist would refuse real clients). */
export function loadSafelist(path: string, schema: GraphQLSchema): Safelist {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_QUERIES_SAFELIST: cannot read ${path} as JSON (${(error as Error).message})`);
  }
  return parseSafelist(json, schema, path);
}

export function parseSafelist(json: unknown, schema: GraphQLSchema, source = 'manifest'): Safelist {
  const fail = (why: string): never => {
    throw new Error(`PERSISTED_QUERIES_SAFELIST: ${source}: ${why}`);
  };
  if (!isRecord(json) || json.format !== MANIFEST_FORMAT || json.version !== 1 || !Array.isArray(json.operations)) {
    fail(`expected {"format": "${MANIFEST_FORMAT}", "version": 1, "operations": [...]}`);
  }
  const operations = new Map<string, SafelistOperation>();
  for (const [index, entry] of (json as { operations: unknown[] }).operations.entries()) {
    const where = `operations[${index}]`;
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.body !== 'string') fail(`${where} needs string "id" and "body"`);
    const { id, body } = entry as { id: string; body: string };
    // Ids must be the body's SHA-256 so that APQ clients (which send that hash) and full-text
    // requests (whose text Apollo hashes) both match the list without a second id scheme.
    if (id !== sha256Hex(body)) fail(`${where}.id is not the SHA-256 (hex) of its body`);
    let document: DocumentNode;
    try {
      document = parse(body);
    } catch (error) {
      return fail(`${where} does not parse: ${(error as Error).message}`);
    }
    // A manifest built against another schema would fail its clients at run time; fail the deploy instead.
    const errors = validate(schema, document);
    if (errors.length > 0) fail(`${where} is not valid against the schema: ${errors[0]?.message}`);
    const operation = getOperationAST(document) ?? fail(`${where} must contain exactly one operation`);
    operations.set(id, { id, body, name: operation.name?.value ?? '', type: operation.operation });
  }
  return { operations };
}

/**
 * Lets safelisted operations be sent by id alone. Enforcement (PERSISTED_QUERIES_ENFORCE: nothing
 * else runs) is one of the admission rules (src/graphql/admission.ts), the same on every transport.
 */
export function safelistPlugin<TContext extends BaseContext>(safelist: Safelist): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request }) {
      const hash = persistedQueryHash(request.extensions);
      // Filling in the text here is what APQ would do after a registration; Apollo then checks
      // the hash against the text as usual.
      if (request.query === undefined && hash !== undefined) {
        const listed = safelist.operations.get(hash);
        if (listed) request.query = listed.body;
      }
    },
  };
}

function persistedQueryHash(extensions: Record<string, unknown> | undefined): string | undefined {
  const persisted = extensions?.persistedQuery;
  return isRecord(persisted) && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
