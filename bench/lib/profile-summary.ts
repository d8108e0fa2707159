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

/** `graphql`, `@apollo/server`, `pino`…, `gateway:src/graphql` for project code, `node:` for Node's own, `(gc)`… */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const [first = '', second = ''] = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const src = url.indexOf('/src/');
  if (src >= 0)
    return `gateway:${url
      .slice(src + 1)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

export function summarizeProfile(path: string, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  const packages = new Map<string, number>();
  const frames = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const frame = `${functionName || '(anonymous)'} ${pkg}${url ? `:${lineNumber + 1}` : ''}`;
    frames.set(frame, (frames.get(frame) ?? 0) + us);
  }
  const share = (entries: Map<string, number>) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: Math.round((1000 * us) / total) / 10 }));
  // Idle time is the event loop waiting, not work.
  return { totalMs: Math.round(total / 1000), packages: share(packages), frames: share(frames) };
}

if (import.meta.main) {
  const [path, top] = process.argv.slice(2);
  if (!path) throw new Error('usage: node bench/lib/profile-summary.ts <file.cpuprofile> [top]');
  console.log(JSON.stringify(summarizeProfile(path, Number(top ?? 25)), null, 2));
}
