// The sandbox's run-time control API (/_sandbox/…), used to set latency and read the call log.
import { request } from 'undici';

export async function setFaults(sandboxUrl: string, rules: unknown[]): Promise<void> {
  const res = await request(`${sandboxUrl}/_sandbox/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`PUT /_sandbox/faults answered ${res.statusCode}`);
}

export async function clearCalls(sandboxUrl: string): Promise<void> {
  await (await request(`${sandboxUrl}/_sandbox/calls`, { method: 'DELETE' })).body.dump();
}

export async function countCalls(sandboxUrl: string): Promise<number> {
  const res = await request(`${sandboxUrl}/_sandbox/calls`);
  const body = (await res.body.json()) as { data: unknown[] };
  return body.data.length;
}
