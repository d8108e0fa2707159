// Persisted documents by id (the GraphQL-over-HTTP draft's Appendix A, "Persisted Documents"): a
// request may name its document as `documentId: "sha256:<64 lowercase hex>"` instead of sending
// `query`. The id is resolved from the safelist manifest (./plugins/persisted-queries.ts: an
// entry's `id` is the SHA-256 of its body) and the request is rewritten into the plain request it
// stands for, with the document's text as `query`, before any transport hands it on. So a document
// by id meets every admission rule (./admission.ts) exactly as its text would, on every transport,
// and no second way of running an operation exists. The rewriting is this one function; the
// transports only say where their parameters are (a JSON body, a URL, a graphql-ws payload).
import { PERSISTED_QUERY_NOT_FOUND } from './plugins/persisted-queries.ts';
import type { Safelist } from './plugins/persisted-queries.ts';
import { BAD_REQUEST } from './safety/client-mistakes.ts';

/** The only form accepted: the draft's SHA-256 hex document identifier (71 characters). */
const SHA256_DOCUMENT_ID = /^sha256:[0-9a-f]{64}$/;

/** Refused before anything runs: the status, the error code and the message sent. */
export interface DocumentIdRefusal {
  refused: true;
  status: number;
  code: string;
  message: string;
}

export type DocumentIds = ReturnType<typeof createDocumentIds>;

export function createDocumentIds(safelist: Safelist | undefined) {
  /**
   * The parameters with `documentId` replaced by the document it names (`query`); the same object
   * when they carry no `documentId`. Parameters are the request's as sent: nothing in them is trusted.
   */
  function resolve(params: Record<string, unknown>): Record<string, unknown> | DocumentIdRefusal {
    if (!Object.hasOwn(params, 'documentId')) return params;
    const { documentId, ...rest } = params;
    // The id is never echoed: it is the caller's text, of any length.
    if (typeof documentId !== 'string' || !SHA256_DOCUMENT_ID.test(documentId)) {
      return refusal(400, BAD_REQUEST, 'documentId must be "sha256:" followed by 64 lowercase hexadecimal digits.');
    }
    if (Object.hasOwn(rest, 'query') || persistedQueryIn(rest.extensions)) {
      return refusal(400, BAD_REQUEST, 'Send either documentId or a document (query or a persisted-query hash), not both.');
    }
    if (!safelist) {
      return refusal(
        400,
        BAD_REQUEST,
        'This gateway has no persisted documents: documents by id need a manifest in PERSISTED_QUERIES_SAFELIST.',
      );
    }
    const listed = safelist.operations.get(documentId.slice('sha256:'.length));
    // 404, as Apollo Router answers an unknown id: the request is well formed, the document is not known here.
    if (!listed) return refusal(404, PERSISTED_QUERY_NOT_FOUND, 'No persisted document has this documentId.');
    return { ...rest, query: listed.body };
  }

  /**
   * A GET's URL parameters, rewritten the same way (the variables and extensions stay JSON text:
   * only a persisted-query hash inside the extensions matters here).
   */
  function resolveSearch(search: URLSearchParams): URLSearchParams | DocumentIdRefusal {
    const ids = search.getAll('documentId');
    if (ids.length === 0) return search;
    if (ids.length > 1) return refusal(400, BAD_REQUEST, 'Send one documentId.');
    const params: Record<string, unknown> = { documentId: ids[0] };
    if (search.has('query')) params.query = search.get('query');
    const extensions = search.get('extensions');
    if (extensions !== null) params.extensions = parseJson(extensions);
    const resolved = resolve(params);
    if (isDocumentIdRefusal(resolved)) return resolved;
    const rewritten = new URLSearchParams(search);
    rewritten.delete('documentId');
    rewritten.set('query', String(resolved.query));
    return rewritten;
  }

  return { resolve, resolveSearch };
}

export function isDocumentIdRefusal(value: unknown): value is DocumentIdRefusal {
  return typeof value === 'object' && value !== null && (value as Partial<DocumentIdRefusal>).refused === true;
}

function refusal(status: number, code: string, message: string): DocumentIdRefusal {
  return { refused: true, status, code, message };
}

function persistedQueryIn(extensions: unknown): boolean {
  return typeof extensions === 'object' && extensions !== null && Object.hasOwn(extensions, 'persistedQuery');
}

/** Undefined for text that is not JSON: the transport answers that itself, as it would without an id. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
