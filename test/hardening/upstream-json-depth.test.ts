// Issue 21: a PharmaOne answer's parse cost is bounded by its size. Bodies under the byte cap that
// nest 10⁵, 10⁶ or 4·10⁶ levels deep (8 MB) are refused as `invalid_response` by one linear scan
// before JSON.parse could build millions of arrays: little CPU, little memory, /healthz answering.
// CPU time, not wall time, is asserted: it does not depend on how busy the machine is.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES, createJsonLimitsScan, withinJsonLimits } from '../../src/upstream/json-limits.ts';
import { dataOf, stackFixture } from '../support/gateway.ts';

const ORDERS_ROUTE = 'GET /api/v2/public/orgs/{org}/orders';
const stack = stackFixture();

const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

describe('the JSON limits scan', () => {
  it.each([
    ['arrays at the limit', nested(MAX_JSON_DEPTH), true],
    ['arrays one past it', nested(MAX_JSON_DEPTH + 1), false],
    ['objects one past it', `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`, false],
    ['mixed arrays and objects past it', `${'[{"a":'.repeat(20)}1${'}]'.repeat(20)}`, false],
    ['brackets inside strings', JSON.stringify({ data: ['['.repeat(10_000), '{'.repeat(10_000)] }), true],
    ['escaped quotes before brackets', JSON.stringify({ a: `\\"${'['.repeat(100)}`, b: '\\\\' }), true],
    ['an escaped backslash ending a string', `{"a":"\\\\","b":${nested(MAX_JSON_DEPTH + 1)}}`, false],
    ['values at the limit', `[${'0,'.repeat(MAX_JSON_VALUES - 1)}0]`, true],
    ['values past it', `[${'0,'.repeat(MAX_JSON_VALUES)}0]`, false],
    ['commas inside strings', JSON.stringify({ a: ','.repeat(MAX_JSON_VALUES * 2) }), true],
    [
      'a real order page',
      JSON.stringify({ data: Array.from({ length: 100 }, (_, i) => ({ id: `ORD_${i}`, items: [{ name: 'x', price: 1.5 }] })) }),
      true,
    ],
  ])('%s', (_, text, accepted) => {
    expect(withinJsonLimits(text)).toBe(accepted);
    if (accepted) expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe('the scan over a body arriving in chunks', () => {
  // The body is scanned as undici hands it over: a string's escape, a multi-byte character or a
  // bracket run may straddle two chunks. Every split of each text must answer as the whole does.
  it.each([
    ['an escaped quote then brackets past the limit', `{"a":"x\\"${'['.repeat(40)}","b":${nested(MAX_JSON_DEPTH + 1)}}`, false],
    ['escaped backslashes before a closing quote', `{"a":"\\\\","b":${nested(MAX_JSON_DEPTH - 1)}}`, true],
    ['brackets inside a string with multi-byte characters', JSON.stringify({ a: `ä€😀${'['.repeat(50)}` }), true],
    ['depth past the limit after multi-byte characters', `{"ä€":${nested(MAX_JSON_DEPTH + 1)}}`, false],
  ])('%s', (_, text, accepted) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(withinJsonLimits(text)).toBe(accepted);
    for (let at = 0; at <= bytes.length; at++) {
      const scan = createJsonLimitsScan();
      const first = scan.push(bytes.subarray(0, at));
      expect({ at, accepted: first && scan.push(bytes.subarray(at)) }).toEqual({ at, accepted });
    }
  });
});

describe('a deeply nested answer from PharmaOne', () => {
  it.each([
    ['10⁵ levels', 100_000],
    ['10⁶ levels', 1_000_000],
    ['4·10⁶ levels (8 MB)', 4_000_000],
  ])('%s: refused as invalid_response for little CPU and memory, /healthz answering', async (_, depth) => {
    // Built once, outside what is measured; the sandbox sends the text as it is.
    const body = Buffer.from(`{"data":${nested(depth)},"pagination":{"limit":20,"offset":0,"total":1}}`).toString();
    stack.sandbox.faults.set([{ route: ORDERS_ROUTE, respond: { body } }]);
    const rssBefore = process.memoryUsage().rss;
    const cpuBefore = process.cpuUsage();

    const res = await stack.gql<{ org: { id: string } }>('{ org(id: "org1") { id orders(first: 1) { nodes { id } } } }');
    const health = await fetch(stack.gateway.url.replace('/graphql', '/healthz'));

    const cpu = process.cpuUsage(cpuBefore);
    expect(res.body.errors?.map((e) => e.extensions)).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', reason: 'invalid_response' }),
    ]);
    expect(dataOf(res).org.id).toBe('org1');
    expect(health.status).toBe(200);
    // Sandbox and gateway share this process: the whole exchange (token, sending, receiving and
    // scanning up to 8 MB) took ≈ 250 ms of CPU; parsing the 8 MB took ≈ 3 s and 350 MB before the scan.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(600);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
  });
});
