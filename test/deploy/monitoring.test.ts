// deploy/monitoring: the Prometheus rules pass promtool's check and its unit tests (tests/*.yaml),
// every alert has a test that fires it and one that keeps it quiet, the memory alert's limit is
// the Deployment's, and every metric the rules and the Grafana dashboard name is one a running
// gateway exports (scraped from /metrics after a query, a failing query and a live subscription).
import { spawnSync } from 'node:child_process';
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { connectWs, waitFor } from '../feed/feed-clients.ts';
import type { FeedWsConnection } from '../feed/feed-clients.ts';
import { ORG1_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { metricNames, readExposition, selectorLabels } from '../support/promql-names.ts';
import type { Exposition } from '../support/promql-names.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

const MONITORING = fileURLToPath(new URL('../../deploy/monitoring/', import.meta.url));
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
/** Labels Prometheus adds to every scraped series (the target's), not the gateway's. */
const TARGET_LABELS = new Set(['instance', 'job', 'namespace', 'pod']);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
}
interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}

const ruleFiles = ['recording-rules.yaml', 'alerts.yaml'];
const rules: Rule[] = ruleFiles.flatMap((file) =>
  (parse(readFileSync(`${MONITORING}${file}`, 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules),
);
const testFiles = globSync('tests/*.yaml', { cwd: MONITORING });
const alertTests: AlertTest[] = testFiles.flatMap((file) =>
  (parse(readFileSync(`${MONITORING}${file}`, 'utf8')) as { tests: Array<{ alert_rule_test?: AlertTest[] }> }).tests.flatMap(
    (test) => test.alert_rule_test ?? [],
  ),
);
const dashboard = JSON.parse(readFileSync(`${MONITORING}grafana-dashboard.json`, 'utf8')) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; query?: unknown }> };
};

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL, args, { cwd: MONITORING, encoding: 'utf8', timeout: 120_000 });
  if (run.error)
    throw new Error(`${PROMTOOL} did not run (Debian's prometheus package; npm test's pretest installs it): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('promtool', () => {
  it('finds the rule files valid', () => {
    const run = promtool('check', 'rules', ...ruleFiles);
    expect(run.output).toContain(`SUCCESS: ${rules.filter((rule) => rule.alert).length} rules found`);
    expect(run.status, run.output).toBe(0);
  });

  it('passes every unit test of the rules', () => {
    expect(testFiles.length).toBeGreaterThan(0);
    const run = promtool('test', 'rules', ...testFiles);
    expect(run.output).not.toContain('FAILED');
    expect(run.status, run.output).toBe(0);
  });
});

describe('the alerts', () => {
  const alerts = rules.flatMap((rule) => (rule.alert ? [rule.alert] : []));

  it('each have a test that fires them and one that keeps them quiet', () => {
    const fired = new Set(alertTests.filter((test) => (test.exp_alerts ?? []).length > 0).map((test) => test.alertname));
    const quiet = new Set(alertTests.filter((test) => (test.exp_alerts ?? []).length === 0).map((test) => test.alertname));

    expect(alerts.length).toBeGreaterThanOrEqual(13);
    expect(alerts.filter((alert) => !fired.has(alert))).toEqual([]);
    expect(alerts.filter((alert) => !quiet.has(alert))).toEqual([]);
    expect(alertTests.map((test) => test.alertname).filter((name) => !alerts.includes(name))).toEqual([]);
  });

  it('measure memory against the gateway container limit of the Deployment', () => {
    const deployment = parseAllDocuments(readFileSync(`${MONITORING}../kubernetes/base/deployment.yaml`, 'utf8'))
      .map((doc) => doc.toJS())
      .find((doc) => doc?.kind === 'Deployment');
    const container = deployment.spec.template.spec.containers.find((c: { name: string }) => c.name === 'gateway');
    const limit = String(container.resources.limits.memory);
    const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
    const [, amount = '', unit = ''] = /^(\d+)(Ki|Mi|Gi)$/.exec(limit) ?? [];
    const ratio = rules.find((rule) => rule.record === 'instance:pharmaone_graph_resident_memory:ratio_to_limit');

    expect(units[unit]).toBeDefined();
    expect(ratio?.expr).toMatch(new RegExp(`/ ${Number(amount) * (units[unit] ?? 0)}\\s*$`));
    expect(JSON.stringify(rules)).toContain(`of its ${limit} memory limit`);
  });
});

describe('metric names in PromQL', () => {
  it.each([
    ['sum by (route) (rate(foo_total{status=~"5..|timeout"}[5m])) / on () group_left () bar', ['foo_total', 'bar']],
    ['histogram_quantile(0.99, sum by (le) (rate(a_bucket{instance=~"$instance"}[$__rate_interval])))', ['a_bucket']],
    ['rec:x:ratio_rate1h > (14.4 * 0.001) and rec:y:ratio_rate5m > 1e-3', ['rec:x:ratio_rate1h', 'rec:y:ratio_rate5m']],
    ['max(up) without (job) or vector(0) unless on (instance) b offset 5m', ['up', 'b']],
    ['label_values(pharmaone_bulkhead_calls, instance)', ['pharmaone_bulkhead_calls']],
  ])('reads %s', (expr, names) => {
    expect(metricNames(expr).sort()).toEqual([...names].sort());
  });
});

describe('a running gateway', () => {
  let redis: TestRedis;
  let stack: TestStack;
  let feed: FeedWsConnection;
  let exported: Exposition;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({ env: { REDIS_URL: redis.url, ORDER_FEED_POLL_MS: '200' } });
    await stack.gql('query Shops { org(id: "org1") { shops { id } } }');
    await stack.gql('query Missing { nope }');
    feed = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
    feed.subscribe({ orgId: 'org1' });
    await waitFor(() => stack.gateway.feedStats().subscribers === 1 && stack.gateway.feedStats().polls > 0, 'a subscription and a poll');
    const res = await request(stack.gateway.url.replace('/graphql', '/metrics'));
    exported = readExposition(await res.body.text());
  }, 60_000);
  afterAll(async () => {
    await feed?.dispose();
    await stack?.close();
    await redis?.stop();
  });

  const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
  const expressions = [
    ...rules.map((rule) => ({ where: rule.record ?? rule.alert ?? '', expr: rule.expr })),
    ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr }))),
    ...dashboard.templating.list.flatMap((variable) =>
      typeof variable.query === 'string' && variable.query.includes('(')
        ? [{ where: `variable ${variable.name}`, expr: variable.query }]
        : [],
    ),
  ];

  it('exports every metric the rules and the dashboard name (recorded ones aside)', () => {
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exported.names.has(name) && !recorded.has(name))
        .map((name) => `${where}: ${name}`),
    );

    expect(expressions.length).toBeGreaterThan(40);
    expect(exported.names).toContain('graphql_operation_errors_total');
    expect(unknown).toEqual([]);
  });

  it('carries every label the rules and the dashboard match on', () => {
    const unknown = expressions.flatMap(({ where, expr }) =>
      selectorLabels(expr).flatMap(({ metric, labels }) => {
        const known = exported.labelsOf(metric);
        // A family with no sample yet (e.g. calls refused before sending) cannot show its labels.
        if (known === undefined) return [];
        return labels.filter((label) => !known.has(label) && !TARGET_LABELS.has(label)).map((label) => `${where}: ${metric}{${label}}`);
      }),
    );

    expect(exported.labelsOf('graphql_operation_errors_total')).toContain('code');
    expect(exported.labelsOf('pharmaone_store_redis_up')).toContain('store');
    expect(unknown).toEqual([]);
  });
});
