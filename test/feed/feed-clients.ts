// Real feed clients for tests: graphql-ws over a real WebSocket and graphql-sse over real HTTP,
// each collecting what it receives, plus the small helpers the feed tests share.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import type { Client as WsClient } from 'graphql-ws';
import { once } from 'node:events';
import WebSocket from 'ws';
import { request } from 'undici';
import { ORG1_KEY } from '../support/gateway.ts';
import type { Sandbox, TestStack } from '../support/gateway.ts';

export const ORDER_EVENTS = `subscription Board($orgId: ID!, $shopId: ID, $statuses: [OrderStatus!], $after: String) {
  orderEvents(orgId: $orgId, shopId: $shopId, statuses: $statuses, after: $after) {
    type at cursor previousStatus order { id shopId status }
  }
}`;

export interface Received {
  events: Array<{ type: string; cursor: string; previousStatus: string | null; order: { id: string; shopId: string; status: string } }>;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
  completed: boolean;
  /** Transport-level failure (a WebSocket close event, a refused request). */
  failure: unknown;
  dispose(): void;
}

export interface FeedWsConnection {
  client: WsClient;
  closed: Promise<{ code: number; reason: string }>;
  subscribe(variables: Record<string, unknown>, query?: string): Received;
  dispose(): Promise<void>;
}

export function wsUrl(gatewayUrl: string): string {
  return gatewayUrl.replace(/^http/, 'ws');
}

export function connectWs(
  gatewayUrl: string,
  connectionParams: Record<string, unknown>,
  options: { webSocketImpl?: unknown } = {},
): FeedWsConnection {
  let closedResolve!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedResolve = resolve));
  const client = createWsClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: options.webSocketImpl ?? WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => closedResolve({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }),
    },
  });
  return {
    client,
    closed,
    subscribe(variables, query = ORDER_EVENTS) {
      const received = emptyReceived();
      received.dispose = client.subscribe(
        { query, variables },
        {
          next: (result) => collect(received, result as CollectedResult),
          error: (error) => (received.failure = error),
          complete: () => (received.completed = true),
        },
      );
      return received;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

export function subscribeSse(
  gatewayUrl: string,
  headers: Record<string, string>,
  variables: Record<string, unknown>,
  query = ORDER_EVENTS,
): Received {
  const received = emptyReceived();
  const client = createSseClient({ url: gatewayUrl.replace(/\/graphql$/, '/graphql/stream'), headers, retryAttempts: 0 });
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (result) => collect(received, result as CollectedResult),
      error: (error) => (received.failure = error),
      complete: () => (received.completed = true),
    },
  );
  received.dispose = () => {
    unsubscribe();
    client.dispose();
  };
  return received;
}

function emptyReceived(): Received {
  return { events: [], errors: [], completed: false, failure: undefined, dispose: () => {} };
}

type CollectedResult = { data?: { orderEvents?: Received['events'][number] } | null; errors?: Received['errors'] };

function collect(received: Received, result: CollectedResult): void {
  if (result.data?.orderEvents) received.events.push(result.data.orderEvents);
  if (result.errors) received.errors.push(...result.errors);
}

/** Polls a condition until it holds; the timeout only turns a hang into a failure. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The sandbox's GET /orders list calls (the poller's), optionally after a call-log seq. */
export function listCalls(sandbox: Sandbox, org = 'org1', afterSeq?: number) {
  return sandbox.calls.list({ route: 'GET /api/v2/public/orgs/{org}/orders', org, ...(afterSeq === undefined ? {} : { afterSeq }) });
}

export function lastSeq(sandbox: Sandbox): number {
  return sandbox.calls.list().at(-1)?.seq ?? 0;
}

/** A change made directly at PharmaOne (not through the gateway): its own token, its own PATCH. */
export async function changeStatusInSandbox(sandbox: Sandbox, org: string, apikey: string, orderId: string, status: string): Promise<void> {
  const base = `${sandbox.url}/api/v2/public/orgs/${org}`;
  const tokenRes = await request(`${base}/auth/token`, { method: 'POST', headers: { apikey } });
  const { access_token } = (await tokenRes.body.json()) as { access_token: string };
  const res = await request(`${base}/orders/${orderId}/status`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`sandbox PATCH answered ${res.statusCode}`);
}

export const SUBMIT_ORDER = `mutation Submit($input: SubmitOrderRequestInput!) {
  submitOrderRequest(input: $input) { orderRequest { orderId } userErrors { message } }
}`;

/** What SUBMIT_ORDER answers. */
export type SubmitOrderData = { submitOrderRequest: { orderRequest: { orderId: string } } };
/** What UPDATE_STATUS answers. */
export type UpdateStatusData = { updateOrderStatus: { userErrors: unknown[] } };

export const UPDATE_STATUS = `mutation Status($input: UpdateOrderStatusInput!) {
  updateOrderStatus(input: $input) { order { id status } userErrors { code message } }
}`;

export function orderInput(orgId = 'org1', shopId = 'shop1') {
  return {
    orgId,
    shopId,
    customer: { name: 'Feed Test', email: 'feed@example.com' },
    items: [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1, unitPrice: '3.10', p1Id: 'P1-000001' }],
  };
}

/**
 * The feed clients a test opens, each registered for `closeAll()` after the test, which then waits
 * until the gateway runs no poller (nobody is left subscribed).
 */
export function testFeedClients(stack: () => TestStack) {
  const open: Array<{ dispose(): unknown }> = [];
  return {
    ws(apikey = ORG1_KEY): FeedWsConnection {
      const connection = connectWs(stack().gateway.url, { apikey });
      open.push(connection);
      return connection;
    },
    sse(variables: Record<string, unknown>, apikey = ORG1_KEY, query = ORDER_EVENTS): Received {
      const received = subscribeSse(stack().gateway.url, { apikey }, variables, query);
      open.push(received);
      return received;
    },
    async closeAll(): Promise<void> {
      for (const item of open.splice(0)) await item.dispose();
      await waitFor(() => stack().gateway.feedStats().pollers === 0, 'the pollers to stop');
    },
  };
}

/** An error as a feed transport sends it. */
export interface FeedError {
  message: string;
  extensions?: { code?: string };
}

/** What one subscription of a raw peer received. */
export interface RawOutcome {
  /** Errors of `next` messages, or of the `error` message that ended it. */
  errors: FeedError[];
  events: Array<{ cursor: string }>;
  ended: boolean;
}

/**
 * A graphql-transport-ws peer writing raw frames, so that a burst of subscribes is sent in one go
 * (graphql-ws's own client would space them out); acknowledged before it returns.
 */
export async function connectRawWs(gatewayUrl: string, apikey: string) {
  const ws = new WebSocket(wsUrl(gatewayUrl), 'graphql-transport-ws');
  const outcomes = new Map<string, RawOutcome>();
  let acknowledged = false;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: string; type: string; payload?: unknown };
    if (message.type === 'connection_ack') acknowledged = true;
    if (!message.id) return;
    const outcome = outcomes.get(message.id) ?? { errors: [], events: [], ended: false };
    outcomes.set(message.id, outcome);
    type Result = { data?: { orderEvents?: { cursor: string } }; errors?: FeedError[] };
    const result = message.type === 'error' ? { errors: message.payload as FeedError[] } : (message.payload as Result | undefined);
    outcome.errors.push(...(result?.errors ?? []));
    if (result?.data?.orderEvents) outcome.events.push(result.data.orderEvents);
    if (message.type === 'error' || message.type === 'complete') outcome.ended = true;
  });
  const closed = once(ws, 'close');
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'connection_init', payload: { apikey } }));
  await waitFor(() => acknowledged, 'connection_ack');
  return {
    outcomes,
    /** Sends every subscribe without waiting in between. */
    subscribe(ids: readonly string[], variables: Record<string, unknown> = { orgId: 'org1' }, query = ORDER_EVENTS): void {
      for (const id of ids) ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
    },
    complete(id: string): void {
      ws.send(JSON.stringify({ id, type: 'complete' }));
    },
    ended: (ids: readonly string[]) => ids.filter((id) => outcomes.get(id)?.ended),
    async dispose(): Promise<void> {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}
