// A real HTTP proxy between the gateway and the sandbox that holds the calls a test names until the
// test releases them: "the first part was sent while the deferred calls were still held" is then a
// fact, not a race against a latency. It also tells when the gateway gave up on a held call (its
// connection closed before an answer), which is how a cancelled request shows upstream.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface HeldUpstream {
  url: string;
  /** Calls held now (arrived, not released). */
  held(): number;
  /** Held calls whose connection the gateway closed before an answer. */
  abandoned(): number;
  /** Resolves once `count` calls are held. */
  whenHeld(count: number): Promise<void>;
  /** Resolves once `count` held calls were abandoned. */
  whenAbandoned(count: number): Promise<void>;
  /** Lets the calls held now through, those whose path `matches` if given (later ones are held while `holds` says so). */
  release(matches?: (path: string) => boolean): void;
  close(): Promise<void>;
}

export async function startHeldUpstream(target: string, holds: (path: string) => boolean): Promise<HeldUpstream> {
  let closed = false;
  let waiting: Array<{ path: string; resolve: () => void }> = [];
  let held = 0;
  let abandoned = 0;
  const watchers = new Set<() => void>();
  const changed = () => {
    for (const watch of watchers) watch();
  };
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const watch = () => {
        if (!done()) return;
        watchers.delete(watch);
        resolve();
      };
      watchers.add(watch);
      watch();
    });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!closed && holds(req.url ?? '')) {
      held++;
      let answered = false;
      res.once('close', () => {
        if (answered) return;
        abandoned++;
        changed();
      });
      changed();
      await new Promise<void>((resolve) => waiting.push({ path: req.url ?? '', resolve }));
      held--;
      answered = true;
      if (res.destroyed) return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length', 'keep-alive'].includes(name)),
    ) as Record<string, string>;
    const upstream = await request(`${target}${req.url}`, {
      method: (req.method ?? 'GET') as 'GET',
      headers,
      ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    if (res.destroyed) return;
    res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
    res.end(body);
  }

  const server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = (matches: (path: string) => boolean = () => true) => {
    const go = waiting.filter((call) => matches(call.path));
    waiting = waiting.filter((call) => !matches(call.path));
    for (const call of go) call.resolve();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    held: () => held,
    abandoned: () => abandoned,
    whenHeld: (count) => until(() => held >= count),
    whenAbandoned: (count) => until(() => abandoned >= count),
    release,
    async close() {
      closed = true;
      release(() => true);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
