// What one client may hold of the gateway's HTTP server: time to send its headers, time to send
// its whole request, idle time on a kept-alive connection, and a cap on open connections. Without
// them a client sending its body one byte every few seconds holds a connection (and a socket, a
// parser, buffers) for as long as it likes, and a few thousand such clients hold the server.
import type { Server, ServerOptions } from 'node:http';
import type { EnvReader } from '../config/env.ts';

export interface HttpServerLimits {
  /** HTTP_HEADERS_TIMEOUT_MS: the request line and headers must arrive within this (408, connection closed). */
  headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: the whole request, body included, must arrive within this (408, connection closed). */
  requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: an idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** HTTP_MAX_CONNECTIONS: connections past this many open ones are closed on arrival. */
  maxConnections: number;
}

/** Options for node:http createServer; the timeouts are enforced by Node's periodic connection check. */
export function serverOptions(limits: HttpServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the two timeouts every this often (default 30 s): a quarter of the shorter one
    // keeps the enforced limit within 25 % of the configured one.
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4))),
  };
}

/** Settings that exist only on the server object. */
export function applyConnectionCap(server: Server, limits: HttpServerLimits): void {
  server.maxConnections = limits.maxConnections;
}

/** Node refuses a headers timeout longer than the request timeout; say so at start-up with the variable names. */
export function checkHttpServerLimits(limits: HttpServerLimits): HttpServerLimits {
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(
      `HTTP_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}

/** HTTP_* (src/config.ts assembles every section). */
export function readHttpServerLimits(read: EnvReader): HttpServerLimits {
  const limits = {
    headersTimeoutMs: read.durationMs('HTTP_HEADERS_TIMEOUT_MS', { fallback: 10_000, min: 100, max: 600_000 }),
    requestTimeoutMs: read.durationMs('HTTP_REQUEST_TIMEOUT_MS', { fallback: 30_000, min: 100, max: 3_600_000 }),
    keepAliveTimeoutMs: read.durationMs('HTTP_KEEP_ALIVE_TIMEOUT_MS', { fallback: 5_000, min: 100, max: 600_000 }),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', { fallback: 1_024, min: 1, max: 1_000_000 }),
  };
  return read.attempt(() => checkHttpServerLimits(limits), limits);
}
