// Run by bench/scenarios/table-retention.ts as `node --trace-gc-nvp <this> <mode>`: a long-lived
// table (aged into the old generation first) through which objects pass as requests pass
// through a server: each is added, stays while 16 newer ones are added, and is deleted. What the
// young-generation collections then copy and promote is read from V8's own trace (stdout).
const mode = process.argv[2] ?? 'count';
const IN_FLIGHT = 16;
const PASSES = 400_000;

const set = new Set<object>();
const map = new Map<number, object>();
const weakSet = new WeakSet<object>();
const weakMap = new WeakMap<object, object>();
let count = 0;

// A few scavenges with survivors first: the tables above are promoted, as a server's are.
for (let i = 0; i < 3; i++) {
  const survivors: object[] = [];
  for (let j = 0; j < 1_000_000; j++) survivors.push({ j });
}

/** A request's worth of small objects (about 4 KB). */
function requestGraph(id: number) {
  return { id, parts: Array.from({ length: 64 }, (_, i) => ({ i, text: `part ${i}` })) };
}

const inFlight: Array<ReturnType<typeof requestGraph>> = [];
for (let id = 0; id < PASSES; id++) {
  const graph = requestGraph(id);
  if (mode === 'set') set.add(graph);
  else if (mode === 'map') map.set(id, graph);
  else if (mode === 'weak-set') weakSet.add(graph);
  else if (mode === 'weak-map') weakMap.set(graph, { id });
  else count += 1;
  inFlight.push(graph);
  if (inFlight.length > IN_FLIGHT) {
    const done = inFlight.shift();
    if (!done) continue;
    if (mode === 'set') set.delete(done);
    else if (mode === 'map') map.delete(done.id);
    else if (mode === 'weak-map') weakMap.delete(done);
    else if (mode === 'count') count -= 1;
  }
}
// The counter is the table the other modes are compared with: it ends where the list does.
if (mode === 'count' && count !== inFlight.length) throw new Error(`counted ${count} in flight, ${inFlight.length} listed`);
