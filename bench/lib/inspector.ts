// A child process's inspector (started with `inspect: true`, bench/lib/processes.ts), used for one
// thing: a full garbage collection before its heap is read, so that a measurement sees what the
// process keeps rather than what is waiting to be collected.

/** Runs full garbage collections in the process behind `inspectorUrl` and resolves when they are done. */
export async function collectGarbage(inspectorUrl: string, rounds = 2): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${inspectorUrl}`)), { once: true });
  });
  try {
    for (let id = 1; id <= rounds; id++) await call(socket, id, 'HeapProfiler.collectGarbage');
  } finally {
    socket.close();
  }
}

function call(socket: WebSocket, id: number, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as { id?: number; error?: { message?: string } };
      if (message.id !== id) return;
      socket.removeEventListener('message', onMessage);
      if (message.error) reject(new Error(`${method}: ${message.error.message}`));
      else resolve();
    };
    socket.addEventListener('message', onMessage);
    socket.send(JSON.stringify({ id, method }));
  });
}
