// Metric names and label matchers in PromQL text, for checking dashboards and rules against what
// a running gateway exports. Not a PromQL parser: it removes what cannot be a metric name
// (strings, label matchers, ranges, grouping lists, Grafana variables, numbers) and keeps the
// identifiers that are not functions, aggregations or keywords.

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** Every metric name an expression selects (Grafana's `label_values(metric, label)` included). */
export function metricNames(expr: string): string[] {
  const text = expr
    .replace(/label_values\(\s*([A-Za-z_:][\w:]*)\s*,\s*\w+\s*\)/g, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*(?![\w:]|\s*\()/g)) {
    // The lookbehind skips a number's exponent (1e3) and the middle of names; the lookahead, calls.
    const [name] = match;
    if (!KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Each `metric{label="…"}` selector's metric and the label names it matches on. */
export function selectorLabels(expr: string): Array<{ metric: string; labels: string[] }> {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return [...withoutStrings.matchAll(/([A-Za-z_:][\w:]*)\s*\{([^}]*)\}/g)].map(([, metric = '', matchers = '']) => ({
    metric,
    labels: [...matchers.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map(([, label = '']) => label),
  }));
}

export interface Exposition {
  /** Metric families with a `# TYPE` line, and the sample names each implies (`_bucket`, `_count`, `_sum`). */
  names: Set<string>;
  /** Label names seen on the samples of the family a sample name belongs to; undefined while it has none. */
  labelsOf(name: string): Set<string> | undefined;
}

/** Reads Prometheus' text exposition format (what /metrics serves). */
export function readExposition(text: string): Exposition {
  const names = new Set<string>();
  const family = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE ([A-Za-z_:][\w:]*) (\w+)$/.exec(line);
    if (type) {
      const [, name = '', kind] = type;
      const samples = kind === 'histogram' ? ['_bucket', '_count', '_sum'] : kind === 'summary' ? ['_count', '_sum'] : [];
      for (const sample of [name, ...samples.map((suffix) => name + suffix)]) {
        names.add(sample);
        family.set(sample, name);
      }
      continue;
    }
    const sample = /^([A-Za-z_:][\w:]*)\{([^}]*)\}/.exec(line);
    const owner = sample && family.get(sample[1] ?? '');
    if (!sample || !owner) continue;
    const seen = labels.get(owner) ?? new Set<string>();
    for (const [, label = ''] of (sample[2] ?? '').matchAll(/([A-Za-z_]\w*)="/g)) seen.add(label);
    labels.set(owner, seen);
  }
  return { names, labelsOf: (name) => labels.get(family.get(name) ?? name) };
}
