// The bench's GraphQL client over HTTP (undici), as org1's integration: one request at a time,
// every kind of failure (transport, status, errors) named, and the sandbox's orders read back
// through the graph.
import { request } from 'undici';

export const ORG1_APIKEY = 'sandbox-org1-key';

export type Sent<TData> = { ok: true; data: TData } | { ok: false; kind: string };

/** Sends one GraphQL request; a transport error or any answer but 200 without errors is a failure. */
export async function send<TData>(url: string, query: string, variables?: unknown): Promise<Sent<TData>> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: ORG1_APIKEY },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.body.text();
    let body: { data?: TData; errors?: Array<{ extensions?: { code?: string } }> };
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, kind: `${res.statusCode} not JSON: ${text.slice(0, 60).replace(/\s+/g, ' ')}` };
    }
    if (res.statusCode !== 200 || body.errors?.length || !body.data) {
      return { ok: false, kind: `${res.statusCode} ${body.errors?.[0]?.extensions?.code ?? ''}`.trim() };
    }
    return { ok: true, data: body.data };
  } catch (error) {
    return { ok: false, kind: `transport ${(error as { code?: string }).code ?? (error as Error).name}` };
  }
}

/** The sandbox's orders by idempotency key (the key follows `prefix` in the customer name), via the graph. */
export async function ordersByKey(url: string, prefix: string): Promise<Map<string, string[]>> {
  type Page = {
    org: {
      orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string; customerName: string | null }> };
    };
  };
  const byKey = new Map<string, string[]>();
  let after: string | null = null;
  for (;;) {
    const res: Sent<Page> = await send<Page>(
      url,
      'query BenchReadBack($after: String) { org(id: "org1") { orders(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id customerName } } } }',
      { after },
    );
    if (!res.ok) throw new Error(`reading the orders back failed: ${res.kind}`);
    const page: Page['org']['orders'] = res.data.org.orders;
    for (const order of page.nodes) {
      const key = order.customerName?.startsWith(prefix) ? order.customerName.slice(prefix.length) : undefined;
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), order.id]);
    }
    if (!page.pageInfo.hasNextPage) return byKey;
    after = page.pageInfo.endCursor;
  }
}

/** Polls a condition until it holds; the timeout only turns a hang into a failure. */
export async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
