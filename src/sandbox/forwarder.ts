// The shop proxy's outgoing HTTP call to Manager — a real request to this same server, so the
// forwarded hop is logged, faulted and authenticated like any other call.
import { Agent, request } from 'undici';
import { errorReply } from './errors.ts';
import type { ForwardedRequest, Reply } from './route-types.ts';

/** How long a shop waits for Manager before giving up with 504. */
const FORWARD_TIMEOUT_MS = 30_000;
/** Manager headers a shop passes back to its client. */
const RELAYED_HEADERS = ['retry-after', 'idempotent-replayed', 'www-authenticate'];

export interface Forwarder {
  forward(baseUrl: string, forwarded: ForwardedRequest): Promise<Reply>;
  close(): Promise<void>;
}

export function createForwarder(): Forwarder {
  const agent = new Agent({ keepAliveTimeout: 2_000, headersTimeout: FORWARD_TIMEOUT_MS, bodyTimeout: FORWARD_TIMEOUT_MS });
  return {
    async forward(baseUrl, forwarded) {
      try {
        const response = await request(`${baseUrl}${forwarded.path}`, {
          method: forwarded.method as 'POST',
          headers: forwarded.headers,
          body: JSON.stringify(forwarded.body),
          dispatcher: agent,
        });
        const text = await response.body.text();
        const headers: Record<string, string> = {};
        for (const name of RELAYED_HEADERS) {
          const value = response.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          return errorReply(502, 'bad_gateway', 'Manager answered with a body that is not JSON');
        }
        return { status: response.statusCode, body, headers };
      } catch (error) {
        const timedOut = (error as { code?: string }).code?.includes('TIMEOUT') ?? false;
        return timedOut
          ? errorReply(504, 'gateway_timeout', 'Manager did not answer in time')
          : errorReply(502, 'bad_gateway', 'The connection to Manager failed');
      }
    },
    close: () => agent.destroy(),
  };
}
