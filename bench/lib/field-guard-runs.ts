// Run as its own process by bench/scenarios/field-guard.ts, with NODE_ENV=production (graphql-js
// checks it once, when it loads): graphql-jit runs the compiled orders(first: 10) over one page of
// 10 REST order rows, on the gateway's schema and on the same schema without the field guard,
// alternating rounds; prints CPU µs per execution of each, per round, as JSON.
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { parse } from 'graphql';
import { buildGatewaySchema, buildUnguardedSchema } from '../../src/schema/schema.ts';
import { SUMMARY_QUERY } from '../peers/queries.ts';

const executions = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 8);
const STATUSES = ['pending', 'shipped', 'completed'];
// Rows shaped as GET /orders answers them (src/sandbox): the fields the query reads, and a few more.
const page = {
  data: Array.from({ length: 10 }, (_, i) => ({
    id: `ord_${1000 + i}`,
    shop_id: 'shop_1',
    status: STATUSES[i % 3],
    payment_status: 'paid',
    customer_name: `Customer ${i}`,
    customer_email: 'customer@example.invalid',
    total_amount: 12.34 + i,
    created_at: `2026-11-0${(i % 9) + 1}T10:00:00Z`,
    updated_at: '2026-11-10T10:00:00Z',
  })),
  pagination: { total: 100, limit: 10, offset: 0 },
};
// The two resolvers above the orders read PharmaOne through the context; here they get the page.
const context = () => ({ pharmaone: { token: async () => ({}), listOrders: async () => page } });

const variants = { guarded: buildGatewaySchema(), unguarded: buildUnguardedSchema() };
const compiled = Object.entries(variants).map(([name, schema]) => {
  const query = compileQuery(schema, parse(SUMMARY_QUERY), undefined, { disablingCapturingStackErrors: true });
  if (!isCompiledQuery(query)) throw new Error(`${name}: the query did not compile`);
  return { name, query };
});
const answers = await Promise.all(compiled.map(({ query }) => query.query(undefined, context(), {})));
if (new Set(answers.map((answer) => JSON.stringify(answer))).size !== 1) throw new Error('the two schemas answer differently');

const byRound: Record<string, number[]> = { guarded: [], unguarded: [] };
for (let round = 0; round < rounds; round++) {
  for (const { name, query } of compiled) {
    const started = process.cpuUsage();
    for (let i = 0; i < executions; i++) JSON.stringify(await query.query(undefined, context(), {}));
    const used = process.cpuUsage(started);
    byRound[name]?.push((used.user + used.system) / executions);
  }
}
console.log(JSON.stringify(byRound));
