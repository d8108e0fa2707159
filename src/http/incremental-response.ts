// Incremental delivery over HTTP: which wire format a client's Accept asks for, and the multipart
// answer (GraphQL-over-HTTP's Incremental Delivery RFC: `multipart/mixed; boundary="-"`, each part
// `content-type: application/json`, a `---` boundary after each and `-----` after the last, the
// bytes Apollo Server writes) of an operation that deferred something (src/graphql/incremental.ts).
// The first part is the answer Apollo or the fast path produced, so it went through the one error
// policy and every plugin; the later parts go through the same error policy here. The answer stops
// at GRAPHQL_INCREMENTAL_MAX_PARTS parts: the last one sent then says so, and the operation's
// remaining work is abandoned.
import type { ServerResponse } from 'node:http';
import type { ErrorPolicy } from '../graphql/error-policy.ts';
import { cutAtPartLimit, formatLaterPart } from '../graphql/incremental.ts';
import { parseAccept, rankOf } from './accept.ts';
import type { ClientWatch } from '../upstream/resilience/deadline.ts';
import type { FirstPartHead, FormattedLaterPart, IncrementalChannel, IncrementalSpec, LaterParts } from '../graphql/incremental.ts';

const SPEC_PARAMETER: Record<IncrementalSpec, string> = { 'v0.1': 'deferSpec=20220824', 'v0.2': 'incrementalSpec=v0.2' };
const MULTIPART = /multipart\/mixed/i;
const PART_HEADER = 'content-type: application/json; charset=utf-8\r\n\r\n';

/**
 * The incremental format a client accepts, or null. A `multipart/mixed` range with q > 0 that
 * names `incrementalSpec=v0.2` or `deferSpec=20220824`; a bare `multipart/mixed` (urql, meros)
 * gets `deferSpec=20220824`, the format those clients read (and @graphql-tools/utils' default).
 * A range naming another version of either is not one this gateway speaks. With both offered,
 * v0.2. A client that ranks multipart below its JSON media types gets one complete answer.
 */
export function negotiateIncremental(accept: string | string[] | undefined, jsonQuality: number): IncrementalSpec | null {
  let best: { spec: IncrementalSpec; q: number } | null = null;
  for (const range of parseAccept(accept)) {
    if (range.type !== 'multipart' || range.subtype !== 'mixed') continue;
    let spec: IncrementalSpec | null = 'v0.1';
    for (const param of range.params) {
      const [name = '', raw = ''] = param.split('=').map((piece) => piece.trim());
      const value = raw.replace(/^"|"$/g, '');
      if (name === 'incrementalspec') spec = value === 'v0.2' ? 'v0.2' : null;
      else if (name === 'deferspec') spec = value === '20220824' ? 'v0.1' : null;
    }
    const { q } = range;
    if (!spec || q <= 0 || q < jsonQuality) continue;
    if (!best || q > best.q || (q === best.q && spec === 'v0.2')) best = { spec, q };
  }
  return best?.spec ?? null;
}

/** The incremental format a client accepts at least as much as the JSON media type chosen for it, or null. */
export function incrementalSpecFor(accept: string | string[] | undefined, mediaType: string): IncrementalSpec | null {
  // Most requests name no multipart type: they pay for one case-insensitive search, not a parse.
  if (accept === undefined || !MULTIPART.test(Array.isArray(accept) ? accept.join(',') : accept)) return null;
  const essence = mediaType.split(';')[0] ?? '';
  const jsonQuality = accept === undefined ? 1 : (rankOf(parseAccept(accept), essence)?.q ?? 1);
  return negotiateIncremental(accept, jsonQuality);
}

/** What one request's handling shares with its context (the channel: a client accepting parts, one operation) and its report. */
export interface RequestState {
  /**
   * Ties the operation's upstream work to this client: given the operation deadline's controller
   * when its first PharmaOne call starts, aborts it if the client goes before its answer is sent.
   */
  clientGone: ClientWatch;
  /** Aborts the tied controller: the answer is over (the parts' limit cut it). */
  stop(): void;
  incremental: IncrementalChannel | undefined;
  parts: number | undefined;
}

/**
 * A request's state. A request that makes no PharmaOne call ties nothing and listens for nothing;
 * one that does aborts the deadline's own controller when its client leaves (no second controller).
 */
export function requestState(res: ServerResponse): RequestState {
  let tied: AbortController | undefined;
  return {
    clientGone: (controller) => {
      tied = controller;
      if (res.closed) {
        if (!res.writableFinished) controller.abort();
      } else
        res.once('close', () => {
          if (!res.writableFinished) controller.abort();
        });
    },
    stop: () => tied?.abort(),
    incremental: undefined,
    parts: undefined,
  };
}

export interface PartsOptions {
  errors: ErrorPolicy;
  /** GRAPHQL_INCREMENTAL_MAX_PARTS. */
  maxParts: number;
}

/**
 * The answer in parts when its operation deferred something and it succeeded (200), else whole
 * (`complete`); returns the body to report.
 */
export async function sendMaybeInParts(
  res: ServerResponse,
  request: RequestState,
  answer: { status: number; headers: Iterable<[string, string]>; body: string },
  options: PartsOptions | undefined,
  complete: () => string,
): Promise<string> {
  const channel = request.incremental;
  const started = channel?.take();
  if (!channel || !started || !options) return complete();
  if (answer.status !== 200) {
    await started.later.return();
    return complete();
  }
  const sent = await sendParts(res, answer, started, { spec: channel.spec, ...options });
  // Cut at the limit: the PharmaOne calls still running for parts that will never be sent stop.
  if (sent.cut) request.stop();
  request.parts = sent.parts;
  return sent.reportBody;
}

export interface SentParts {
  parts: number;
  /** Stopped at GRAPHQL_INCREMENTAL_MAX_PARTS. */
  cut: boolean;
  /** Every part's errors as one JSON array of responses, for the operation's log line and metric. */
  reportBody: string;
}

/**
 * Writes the multipart answer: `first` (the complete answer Apollo or the fast path formed, with
 * its status and headers) as the first part, then each later part as the executor yields it.
 */
export async function sendParts(
  res: ServerResponse,
  first: { status: number; headers: Iterable<[string, string]>; body: string },
  started: { head: FirstPartHead; later: LaterParts },
  options: { spec: IncrementalSpec; errors: ErrorPolicy; maxParts: number },
): Promise<SentParts> {
  for (const [name, value] of first.headers) if (name.toLowerCase() !== 'content-length') res.setHeader(name, value);
  res.setHeader('content-type', `multipart/mixed; boundary="-"; ${SPEC_PARAMETER[options.spec]}`);
  res.statusCode = first.status;
  const initial = { ...(JSON.parse(first.body) as Record<string, unknown>), ...started.head };
  const reported: unknown[] = [initial];
  const open = new Set(started.head.pending?.map((entry) => entry.id));
  if (!res.destroyed) res.write(`\r\n---\r\n${PART_HEADER}${JSON.stringify(initial)}\r\n---\r\n`);
  let parts = 1;
  let cut = false;
  const { later } = started;
  try {
    for await (const part of later) {
      if (res.destroyed) break;
      const formatted = formatLaterPart(part, options.errors);
      track(open, formatted);
      reported.push(...errorsOfPart(formatted));
      parts++;
      const last = !formatted.hasNext || parts >= options.maxParts;
      const sent = formatted.hasNext && last ? cutAtPartLimit(formatted, open, options) : formatted;
      if (sent !== formatted) {
        cut = true;
        reported.push(...errorsOfPart(sent));
      }
      res.write(`${PART_HEADER}${JSON.stringify(sent)}\r\n---${last ? '--' : ''}\r\n`);
      if (last) break;
    }
  } catch (error) {
    // The client went away: the executor stopped on its signal, and nobody reads what would follow.
    if (!res.destroyed) throw error;
  } finally {
    // Cut short or abandoned: the operation's remaining work stops (no PharmaOne call for parts nobody reads).
    await later.return();
  }
  res.end();
  return { parts, cut, reportBody: JSON.stringify(reported) };
}

/** The v0.2 ids announced and not completed yet. */
function track(open: Set<string>, part: FormattedLaterPart): void {
  for (const entry of (part.pending as Array<{ id: string }> | undefined) ?? []) open.add(entry.id);
  for (const entry of part.completed ?? []) open.delete(entry.id);
}

/** The errors a later part carries, as responses for errorsIn (src/observability/operation-report.ts). */
function errorsOfPart(part: FormattedLaterPart & { errors?: unknown[] }): Array<{ errors: unknown[] }> {
  const lists = [part.errors, ...(part.incremental ?? []).map((item) => item.errors), ...(part.completed ?? []).map((item) => item.errors)];
  return lists.filter((errors): errors is unknown[] => Array.isArray(errors) && errors.length > 0).map((errors) => ({ errors }));
}
