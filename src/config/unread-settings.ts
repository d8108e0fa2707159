// Settings that are set but never read: a misspelt name (`PHARMAONE_BASEURL`), a retired one
// (`UPSTREAM_ORG_QUEUE`) or one that applies only in another mode (`BFF_JWKS_URL` without
// AUTH_MODE=bff) is otherwise ignored without a word, and the gateway runs on a default the
// operator meant to change. The names known are the ones the configuration code itself reads
// (EnvReader.namesRead), never a list kept by hand beside it, so they cannot drift apart.
//
// Only names under a prefix the gateway owns are judged: the environment also holds the shell's,
// the platform's and other programs' variables, which are none of the gateway's business.

export interface RetiredSetting {
  /** The setting that took its place. */
  replacedBy: string;
  /** Why, in a few words, so the operator can pick the new value. */
  why: string;
}

export interface KnownSettings {
  /** Every name the configuration reads in some configuration → the configuration it is read only in (undefined: always). */
  names: ReadonlyMap<string, string | undefined>;
  /** Names the gateway read once, with what replaced them. */
  retired: ReadonlyMap<string, RetiredSetting>;
}

export interface UnreadSetting {
  name: string;
  /** The known name it was most likely meant to be, if one is close. */
  suggestion?: string;
  /** One line naming the variable, never its value (it may be a secret). */
  message: string;
}

// The runtime (NODE_OPTIONS, NODE_EXTRA_CA_CERTS, …) and the OpenTelemetry SDK (OTEL_EXPORTER_*,
// OTEL_RESOURCE_ATTRIBUTES, …) read many variables under these prefixes besides the gateway's few.
const FOREIGN_PREFIXES = ['NODE_', 'OTEL_'];
// Read by Node's own proxy support (NODE_USE_ENV_PROXY) under a prefix the gateway also uses.
const FOREIGN_NAMES = new Set(['HTTP_PROXY']);
// Kubernetes service links (`<SERVICE>_SERVICE_HOST`, `<SERVICE>_PORT_6379_TCP_ADDR`, …): a Service
// named "redis" or "pharmaone-graph" puts these under the gateway's prefixes when links are on.
const SERVICE_LINK = /_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?$|_PORT_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?$/;

/** The first word of every known name with more than one, less the prefixes other programs share. */
export function ownedPrefixes(known: Iterable<string>): string[] {
  const prefixes = new Set<string>();
  for (const name of known) {
    const cut = name.indexOf('_');
    if (cut > 0) prefixes.add(name.slice(0, cut + 1));
  }
  return [...prefixes].filter((prefix) => !FOREIGN_PREFIXES.includes(prefix)).sort();
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

const words = (name: string) => name.split('_').filter(Boolean).sort().join('_');

/**
 * The known name `name` was most likely meant to be: the same words in another order
 * (GRAPHQL_DEPTH_MAX), or the nearest by edit distance when it is within a quarter of the length
 * (at least 2). Ties go to the alphabetically first, so the answer does not depend on read order.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const candidates = [...known].sort();
  const reordered = candidates.find((candidate) => words(candidate) === words(name));
  if (reordered) return reordered;
  const limit = Math.max(2, Math.floor(name.length / 4));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** The set variables, under the gateway's own prefixes, that this configuration did not read. */
export function findUnreadSettings(namesSet: Iterable<string>, namesRead: ReadonlySet<string>, known: KnownSettings): UnreadSetting[] {
  const prefixes = ownedPrefixes([...known.names.keys(), ...namesRead]);
  const unread: UnreadSetting[] = [];
  const set = new Set(namesSet);
  for (const name of [...set].sort()) {
    if (namesRead.has(name) || FOREIGN_NAMES.has(name) || isServiceLink(name, set)) continue;
    if (!prefixes.some((prefix) => name.startsWith(prefix))) continue;
    unread.push(describe(name, namesRead, known));
  }
  return unread;
}

/** A Kubernetes service link; its bare `<SERVICE>_PORT` (tcp://…) comes with `<SERVICE>_SERVICE_HOST`. */
function isServiceLink(name: string, set: ReadonlySet<string>): boolean {
  return SERVICE_LINK.test(name) || (name.endsWith('_PORT') && set.has(`${name.slice(0, -'_PORT'.length)}_SERVICE_HOST`));
}

function describe(name: string, namesRead: ReadonlySet<string>, known: KnownSettings): UnreadSetting {
  const retired = known.retired.get(name);
  if (retired) {
    return {
      name,
      suggestion: retired.replacedBy,
      message: `${name} is no longer read: ${retired.replacedBy} replaced it (${retired.why})`,
    };
  }
  if (known.names.has(name)) {
    const only = known.names.get(name);
    return { name, message: `${name} is set but not read in this configuration${only ? `: it applies only with ${only}` : ''}` };
  }
  const suggestion = closestName(name, new Set([...known.names.keys(), ...namesRead]));
  return suggestion
    ? { name, suggestion, message: `${name} is set but the gateway does not read it: did you mean ${suggestion}?` }
    : { name, message: `${name} is set but the gateway does not read it (no setting has a similar name)` };
}
