// The caches kept per query text, bounded in bytes, and who may fill them (issue 21: 20,000
// distinct texts sent with a made-up key took a replica past its memory limit).
//
// Every cache keyed by a query text or its hash counts its entries at what they cost in heap
// (src/graphql/document-sizes.ts), within one total (GRAPHQL_DOCUMENT_CACHE_MB) split in fixed
// shares: Apollo's parsed documents, the prepared operations (prepared-operations.ts), the
// compiled plans and the counts that decide which documents are hot enough to compile
// (jit-executor.ts). APQ texts stay in their own store, bounded by APQ_CACHE_MB.
//
// Only a caller whose credential is proven (src/upstream/proven-credentials.ts) fills them. A
// request decides at its end, so a first request whose token exchange proves the key counts.
// Until then, what Apollo parsed for the request and what the prepared path learnt from it go to
// small shares of their own (the unproven callers', which only push out each other), and an APQ
// registration is held back and written once the request ends proven; otherwise it is dropped,
// and the client registers again next time, as it does after any eviction.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { documentBytes } from './document-sizes.ts';

/** GRAPHQL_DOCUMENT_CACHE_MB's default: all caches kept per query text together. */
export const DEFAULT_DOCUMENT_CACHE_BYTES = 64 * 2 ** 20;

/** Whether the request with this context comes from a proven caller (false for anything else). */
export type ProvenCaller = (context: unknown) => boolean;

export interface DocumentCacheBudgets {
  /** Parsed documents of proven callers (Apollo's document store). */
  documents: number;
  /** Parsed documents of callers not proven (yet): their own share, so they push out no one else's. */
  unprovenDocuments: number;
  /** Prepared operations (document, operation, estimate and cache policy per text and name). */
  prepared: number;
  /** Prepared operations taught by callers not proven (yet): their own share, like their documents. */
  unprovenPrepared: number;
  /** Compiled graphql-jit plans, each with the document it keeps. */
  plans: number;
  /** How often each document not compiled yet was run lately. */
  sightings: number;
}

/** Sixteenths of the total each cache gets: plans and documents most, the unproven callers two. */
const SHARES: Record<keyof DocumentCacheBudgets, number> = {
  documents: 5,
  unprovenDocuments: 1,
  prepared: 3,
  unprovenPrepared: 1,
  plans: 5,
  sightings: 1,
};

export function splitDocumentCacheBudget(totalBytes: number): DocumentCacheBudgets {
  const share = (name: keyof DocumentCacheBudgets) => Math.floor((totalBytes * SHARES[name]) / 16);
  return {
    documents: share('documents'),
    unprovenDocuments: share('unprovenDocuments'),
    prepared: share('prepared'),
    unprovenPrepared: share('unprovenPrepared'),
    plans: share('plans'),
    sightings: share('sightings'),
  };
}

export interface DocumentCacheGate {
  /** Apollo's `documentStore`: proven callers' documents, and the unproven callers' share. */
  documentStore: KeyValueCache<DocumentNode>;
  /** `cache` for Apollo's `persistedQueries`, writing only what proven callers registered. */
  apq(cache: KeyValueCache<string>): KeyValueCache<string>;
  /** Tells the two stores above who each request comes from; install it in Apollo's plugin list. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** Bytes held by the document store's two shares. */
  bytes(): { documents: number; unprovenDocuments: number };
}

interface Registration {
  /** Whether the registering request's caller was proven when Apollo resolved the operation. */
  proven: boolean;
  /** Apollo's write, held back for a caller not proven (yet); undefined until Apollo asks. */
  write?: () => Promise<void>;
}

/**
 * Registrations in flight: one per registering request, between its operation and its answer.
 * One pushed out by more than this many is not written at all (the client registers again).
 */
const MAX_REGISTRATIONS_IN_FLIGHT = 1_024;

export function createDocumentCacheGate(options: { budgets: DocumentCacheBudgets; proven: ProvenCaller }): DocumentCacheGate {
  const { budgets, proven } = options;
  const documentCache = (maxSize: number) =>
    new LRUCache<string, DocumentNode>({
      maxSize: Math.max(1, maxSize),
      sizeCalculation: (document) => documentBytes(document),
    });
  const documents = documentCache(budgets.documents);
  const unprovenDocuments = documentCache(budgets.unprovenDocuments);
  // Marked while Apollo validates them, read when Apollo stores them (the same request, moments later).
  const fromProvenCallers = new WeakSet<DocumentNode>();
  const unprovenKeys = new WeakMap<DocumentNode, string>();
  // By the registered hash (Apollo writes it under a prefix of its own: the key ends with the hash).
  const registrations = new LRUCache<string, Registration>({ max: MAX_REGISTRATIONS_IN_FLIGHT });

  const documentStore: KeyValueCache<DocumentNode> = {
    async get(key) {
      return documents.get(key) ?? unprovenDocuments.get(key);
    },
    async set(key, document) {
      if (fromProvenCallers.has(document)) {
        documents.set(key, document);
        return;
      }
      unprovenDocuments.set(key, document);
      unprovenKeys.set(document, key);
    },
    async delete(key) {
      return documents.delete(key) || unprovenDocuments.delete(key);
    },
  };

  /** A document stored for a caller that this request has since proven moves to the proven share. */
  function promote(document: DocumentNode): void {
    const key = unprovenKeys.get(document);
    if (key === undefined || unprovenDocuments.peek(key) !== document) return;
    unprovenDocuments.delete(key);
    documents.set(key, document);
  }

  function apq(cache: KeyValueCache<string>): KeyValueCache<string> {
    return {
      get: (key) => cache.get(key),
      delete: (key) => cache.delete(key),
      async set(key, text, setOptions) {
        // A write no request of this gate announced is not written: nothing is kept by default.
        const registration = registrations.get(key.slice(key.lastIndexOf(':') + 1));
        if (registration?.proven) return cache.set(key, text, setOptions);
        if (registration) registration.write = () => cache.set(key, text, setOptions);
      },
    };
  }

  const plugin: ApolloServerPlugin<BaseContext> = {
    async requestDidStart() {
      return {
        async validationDidStart({ contextValue, document }) {
          if (proven(contextValue)) fromProvenCallers.add(document);
        },
        async didResolveOperation({ contextValue, metrics, queryHash }) {
          if (metrics.persistedQueryRegister && queryHash !== undefined) registrations.set(queryHash, { proven: proven(contextValue) });
        },
        async willSendResponse({ contextValue, document, metrics, queryHash }) {
          const registration = metrics.persistedQueryRegister && queryHash !== undefined ? registrations.get(queryHash) : undefined;
          if (registration && queryHash !== undefined) registrations.delete(queryHash);
          if (!proven(contextValue)) return;
          if (document) promote(document);
          // Issued before the answer leaves, not awaited, as Apollo issues its own; the stores report their own failures.
          void registration?.write?.().catch(() => undefined);
        },
      };
    },
  };

  return {
    documentStore,
    apq,
    plugin,
    bytes: () => ({ documents: documents.calculatedSize, unprovenDocuments: unprovenDocuments.calculatedSize }),
  };
}
