// Reads a V8 .cpuprofile (node --cpu-prof) and sums self time per package and per frame, the
// summary bench/RESULTS.md shows where a goal is not met.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Coarse groups for the RESULTS.md table: where a request's CPU goes. */
export function groupOf(pkg: string, functionName: string): string {
  if (pkg === '(idle)') return '(idle)';
  if (pkg === '(garbage collector)') return 'garbage collection';
  if (/^write(Latin1|Utf8)?String$|^writev$|^writeBuffer$/.test(functionName)) return 'socket writes (syscalls)';
  if (pkg === 'undici') return 'undici (upstream HTTP client)';
  if (pkg === 'graphql' || pkg === 'graphql-jit' || pkg === 'gateway:src/graphql' || pkg === 'gateway:src/domain')
    return 'GraphQL execution, resolvers, mapping';
  if (pkg === '@apollo/server' || pkg === 'negotiator' || pkg === 'content-type' || pkg === '@escape.tech/graphql-armor')
    return 'Apollo Server pipeline';
  if (pkg === 'gateway:src/upstream' || pkg === 'gateway:src/loaders' || pkg === 'dataloader' || pkg === 'lru-cache')
    return 'upstream stack (client, resilience, loaders)';
  if (pkg === 'pino' || pkg === 'sonic-boom' || pkg === '@pinojs/redact' || pkg === 'gateway:src/logging') return 'logging';
  if (pkg === 'prom-client' || pkg === 'gateway:src/observability') return 'metrics, tracing';
  if (pkg.startsWith('gateway:')) return 'gateway, other';
  return 'Node.js runtime (streams, http, timers, microtasks)';
}

/** `graphql`, `@apollo/server`, `pino`…, `gateway:src/graphql` for project code, `node:` for Node's own, `(gc)`… */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const [first = '', second = ''] = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const src = url.indexOf('/src/');
  if (src >= 0)
    return `gateway:${url
      .slice(src + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

/** Self time from `skipMs` after the profile started (start-up excluded), by package, group and frame. */
export function summarizeProfile(path: string, top = 25, skipMs = 0) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  for (const [i, id] of profile.samples.entries()) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  const packages = new Map<string, number>();
  const groups = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const group = groupOf(pkg, functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const frame = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
  }
  const share = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: Math.round((1000 * us) / total) / 10 }));
  // Idle time is the event loop waiting, not work.
  return { totalMs: Math.round(total / 1000), groups: share(groups), packages: share(packages), frames: share(frames) };
}

if (import.meta.main) {
  const [path, top, skipMs] = process.argv.slice(2);
  if (!path) throw new Error('usage: node bench/lib/profile-summary.ts <file.cpuprofile> [top] [skipMs]');
  console.log(JSON.stringify(summarizeProfile(path, Number(top ?? 25), Number(skipMs ?? 0)), null, 2));
}
