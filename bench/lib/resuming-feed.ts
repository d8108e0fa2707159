// A live-feed client as an application should write one: it subscribes through the load balancer
// (graphql-ws or graphql-sse), and when the gateway completes the subscription (a replica shutting
// down says SHUTTING_DOWN first) it subscribes again through the balancer with `after` set to the
// last cursor it received, so it lands on another replica and misses nothing. It records what a
// rolling update is judged on: every event once, every ending with its reason.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

const EVENTS = `subscription RollingBoard($after: String) {
  orderEvents(orgId: "org1", after: $after) { type cursor order { id } }
}`;

export type FeedTransport = 'graphql-ws' | 'graphql-sse';

interface FeedResult {
  data?: { orderEvents?: { type: string; cursor: string; order: { id: string } } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface ResumingSubscriber {
  transport: FeedTransport;
  /** Every CREATED event's order id, in arrival order (duplicates kept, to be counted). */
  created: string[];
  /** Every cursor received, in order. */
  cursors: string[];
  /** Subscriptions opened: the first one plus one per resume. */
  legs: number;
  /** Completions that carried a reason (an error code) before `complete`, by code. */
  endings: Record<string, number>;
  /** Completions with no reason, and transport failures (a refused or cut connection). */
  unexplainedEndings: number;
  failures: string[];
  /** Stops resuming and closes the current subscription. */
  close(): void;
}

export function resumingSubscriber(balancerUrl: string, apikey: string, transport: FeedTransport): ResumingSubscriber {
  let stopped = false;
  let dispose: () => void = () => undefined;
  const subscriber: ResumingSubscriber = {
    transport,
    created: [],
    cursors: [],
    legs: 0,
    endings: {},
    unexplainedEndings: 0,
    failures: [],
    close() {
      stopped = true;
      dispose();
    },
  };

  function open(): void {
    if (stopped) return;
    subscriber.legs += 1;
    let reason: string | undefined;
    const after = subscriber.cursors.at(-1) ?? null;
    const sink = {
      next(result: FeedResult) {
        const event = result.data?.orderEvents;
        if (event) {
          subscriber.cursors.push(event.cursor);
          if (event.type === 'CREATED') subscriber.created.push(event.order.id);
        }
        for (const error of result.errors ?? []) reason = error.extensions?.code ?? 'UNCODED';
      },
      error(error: unknown) {
        subscriber.unexplainedEndings += 1;
        if (subscriber.failures.length < 20) subscriber.failures.push(describe(error));
        resume();
      },
      complete() {
        if (reason) subscriber.endings[reason] = (subscriber.endings[reason] ?? 0) + 1;
        else if (!stopped) subscriber.unexplainedEndings += 1;
        resume();
      },
    };
    dispose = transport === 'graphql-ws' ? overWebSocket(balancerUrl, apikey, after, sink) : overSse(balancerUrl, apikey, after, sink);
  }

  function resume(): void {
    dispose();
    // On the next turn: the ended client finishes its own clean-up first.
    if (!stopped) setImmediate(open);
  }

  open();
  return subscriber;
}

interface Sink {
  next(result: FeedResult): void;
  error(error: unknown): void;
  complete(): void;
}

function overWebSocket(balancerUrl: string, apikey: string, after: string | null, sink: Sink): () => void {
  const client = createWsClient({
    url: balancerUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { apikey },
    retryAttempts: 0,
    lazy: true,
  });
  const unsubscribe = client.subscribe<FeedResult['data']>({ query: EVENTS, variables: { after } }, sink as never);
  return () => {
    unsubscribe();
    void client.dispose();
  };
}

function overSse(balancerUrl: string, apikey: string, after: string | null, sink: Sink): () => void {
  const client = createSseClient({ url: balancerUrl.replace(/\/graphql$/, '/graphql/stream'), headers: { apikey }, retryAttempts: 0 });
  const unsubscribe = client.subscribe({ query: EVENTS, variables: { after } }, sink as never);
  return () => {
    unsubscribe();
    client.dispose();
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message.slice(0, 200);
  const event = error as { code?: unknown; reason?: unknown } | null;
  if (event && typeof event.code === 'number') return `websocket closed ${event.code} ${String(event.reason ?? '')}`.slice(0, 200);
  return String(JSON.stringify(error)).slice(0, 200);
}
